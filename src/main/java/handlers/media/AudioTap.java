package handlers.media;

import io.vertx.core.Future;

import java.util.UUID;

/**
 * Told, by the instance that drives a meeting's room, which published audio is live: published,
 * listed by Janus with an Opus stream, not muted by its owner and not blocked by a host. A tap
 * (server-side captions) asks Janus to forward that audio as RTP through {@link Audio#forwarder()}.
 * Calls come on the room owner's event loop, {@code started} once per feed until {@code stopped}.
 */
public interface AudioTap {

  /** Forwards one feed's audio stream as RTP ({@code rtp_forward}), or stops it. */
  interface Forwarder {
    /** Completes with Janus's forwarder id. {@code srtp} null for plain RTP, else {@code {suite: 32|80, crypto: base64}}. */
    Future<Long> forward(String host, int port, long ssrc, io.vertx.core.json.JsonObject srtp);

    Future<Void> stop(long forwarderId);
  }

  /**
   * One live published audio stream: whose, in which meeting, the host of the Janus that holds it
   * (where forwarded packets come from), and how to have it forwarded.
   */
  record Audio(String tenant, UUID meetingId, long feedId, String userId, String name, String mid, String janusHost,
               Forwarder forwarder) {
  }

  void started(Audio audio);

  /** {@code reason}: muted, blocked, unpublished, left, removed, hangup, replaced, ended, lost. */
  void stopped(UUID meetingId, long feedId, String reason);

  AudioTap NONE = new AudioTap() {
    @Override
    public void started(Audio audio) {
    }

    @Override
    public void stopped(UUID meetingId, long feedId, String reason) {
    }
  };
}

package handlers.media;

import common.ParleyException;
import handlers.MeetingAccess;
import io.vertx.core.json.JsonObject;

/**
 * The requests that negotiate and steer the caller's connections once published, each checked
 * here, then run by the room's owner:
 * <ul>
 *   <li>{@code media.subscribe}: the caller's one subscriber connection, made or updated to receive
 *   the given feeds of this meeting (all others' when none are named); the reply carries Janus's
 *   offer when the media changed, which stream is whose, and every published feed;
 *   {@code restart: true} (a page's first subscription) closes the earlier one first;</li>
 *   <li>{@code media.answer}: the page's SDP answer to its subscription's latest offer;</li>
 *   <li>{@code media.trickle}: an ICE candidate of one of the caller's own connections;</li>
 *   <li>{@code media.configure}: a publisher's own audio/video switches (shown to the others), or
 *   which simulcast layer the caller's subscription receives of each feed;</li>
 *   <li>{@code media.unpublish}: stops one of the caller's publishers (a screen share ends).</li>
 * </ul>
 */
public final class NegotiateMediaHandler extends MediaRequest {

  private final String op;

  /** @param op subscribe, answer, trickle, configure or unpublish */
  public NegotiateMediaHandler(MeetingAccess access, MediaRooms rooms, String op) {
    super(access, rooms, op);
    this.op = op;
  }

  @Override
  protected void check(JsonObject body) {
    switch (op) {
      case "subscribe" -> {
        MediaInputs.feeds(body);
        MediaInputs.optionalBoolean(body, "restart");
      }
      case "answer" -> {
        MediaInputs.connection(body);
        MediaInputs.jsep(body, "answer", rooms.settings().maxSdpBytes());
      }
      case "trickle" -> {
        MediaInputs.connection(body);
        MediaInputs.candidate(body);
      }
      case "configure" -> {
        MediaInputs.connection(body);
        boolean layers = MediaInputs.layers(body) != null;
        boolean switches = MediaInputs.optionalBoolean(body, "audio") != null | MediaInputs.optionalBoolean(body, "video") != null;
        if (layers == switches) {
          throw ParleyException.badRequest("configure either a publisher (audio, video) or your subscription (layers)");
        }
      }
      case "unpublish" -> MediaInputs.connection(body);
      default -> throw new IllegalStateException("not a negotiation request: " + op);
    }
  }
}

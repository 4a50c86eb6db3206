package media;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Janus's VideoRoom plugin ({@code janus.plugin.videoroom}, the SFU) spoken over one handle: the
 * room administration requests (synchronous in Janus) and the requests of a publisher or a
 * subscriber handle (asynchronous: their Futures complete with the plugin's event, with its SDP).
 * Requests and fields are those of Janus 1.1's VideoRoom API; rooms have numeric ids.
 */
public final class VideoRoom {

  public static final String PLUGIN = "janus.plugin.videoroom";

  /**
   * What a new room is created with. {@code secret} guards destroy/kick/moderate/forwarding and
   * never leaves the server; {@code adminKey} is the plugin's {@code admin_key}, without which
   * Janus refuses to create rooms (and, with {@code lock_rtp_forward}, to forward RTP).
   */
  public record RoomSettings(String description, String secret, String adminKey, int publishers, long bitrate,
                             int firFreq, boolean audioLevelEvent, int audioActivePackets, int audioLevelAverage,
                             String videoCodec) {

    JsonObject toJson(long room) {
      JsonObject json = new JsonObject().put("request", "create").put("room", room).put("permanent", false)
        .put("description", description).put("is_private", true).put("secret", secret)
        .put("publishers", publishers).put("bitrate", bitrate).put("fir_freq", firFreq)
        .put("audiolevel_ext", true).put("audiolevel_event", audioLevelEvent)
        .put("audio_active_packets", audioActivePackets).put("audio_level_average", audioLevelAverage)
        .put("videocodec", videoCodec).put("notify_joining", false);
      if (adminKey != null) {
        json.put("admin_key", adminKey);
      }
      return json;
    }
  }

  private final JanusHandle handle;

  public VideoRoom(JanusHandle handle) {
    this.handle = handle;
  }

  /** Attaches a VideoRoom handle in {@code session}. */
  public static Future<VideoRoom> attach(JanusSession session) {
    return session.attach(PLUGIN).map(VideoRoom::new);
  }

  public JanusHandle handle() {
    return handle;
  }

  // --- Room administration (synchronous) ---

  public Future<Void> create(long room, RoomSettings settings) {
    return handle.message(settings.toJson(room)).mapEmpty();
  }

  public Future<Void> destroy(long room, String secret) {
    return handle.message(new JsonObject().put("request", "destroy").put("room", room).put("secret", secret)).mapEmpty();
  }

  public Future<Boolean> exists(long room) {
    return handle.message(new JsonObject().put("request", "exists").put("room", room))
      .map(r -> r.data().getBoolean("exists", false));
  }

  /** Removes a participant (publisher) from the room: Janus closes its PeerConnection. */
  public Future<Void> kick(long room, String secret, long participant) {
    return handle.message(new JsonObject().put("request", "kick").put("room", room).put("secret", secret)
      .put("id", participant)).mapEmpty();
  }

  /** Stops (or allows again) relaying one published stream of a participant, whatever the participant does. */
  public Future<Void> moderate(long room, String secret, long participant, String mid, boolean mute) {
    return handle.message(new JsonObject().put("request", "moderate").put("room", room).put("secret", secret)
      .put("id", participant).put("mid", mid).put("mute", mute)).mapEmpty();
  }

  /** Every room, the private ones too when {@code adminKey} is the plugin's admin key: {@code [{room, description, num_participants...}]}. */
  public Future<JsonArray> list(String adminKey) {
    JsonObject request = new JsonObject().put("request", "list");
    if (adminKey != null) {
      request.put("admin_key", adminKey);
    }
    return handle.message(request).map(r -> r.data().getJsonArray("list", new JsonArray()));
  }

  /** {@code [{id, display, publisher, talking}]}: the room's participants (publisher handles, active or not). */
  public Future<JsonArray> listParticipants(long room) {
    return handle.message(new JsonObject().put("request", "listparticipants").put("room", room))
      .map(r -> r.data().getJsonArray("participants", new JsonArray()));
  }

  /**
   * Forwards a publisher's streams as plain RTP ({@code rtp_forward}): {@code streams} is
   * {@code [{mid, port, host?, ...}]} as in Janus's API; {@code srtp} null for plain RTP, else
   * {@code {suite: 32|80, crypto: base64 key and salt}}. Completes with {@code forwarders}.
   */
  public Future<JsonArray> rtpForward(long room, String secret, String adminKey, long publisher, String host,
                                      JsonArray streams, JsonObject srtp) {
    JsonObject request = new JsonObject().put("request", "rtp_forward").put("room", room).put("secret", secret)
      .put("publisher_id", publisher).put("host", host).put("streams", streams);
    if (srtp != null) {
      request.put("srtp_suite", srtp.getInteger("suite")).put("srtp_crypto", srtp.getString("crypto"));
    }
    if (adminKey != null) {
      request.put("admin_key", adminKey);
    }
    return handle.message(request).map(r -> r.data().getJsonArray("forwarders", new JsonArray()));
  }

  public Future<Void> stopRtpForward(long room, String secret, String adminKey, long publisher, long streamId) {
    JsonObject request = new JsonObject().put("request", "stop_rtp_forward").put("room", room).put("secret", secret)
      .put("publisher_id", publisher).put("stream_id", streamId);
    if (adminKey != null) {
      request.put("admin_key", adminKey);
    }
    return handle.message(request).mapEmpty();
  }

  // --- Publisher handle ---

  /** Joins as a participant with id {@code id}; completes with {@code joined} (its {@code publishers}). */
  public Future<JanusReply> joinPublisher(long room, long id, String display) {
    return handle.message(new JsonObject().put("request", "join").put("ptype", "publisher").put("room", room)
      .put("id", id).put("display", display));
  }

  /**
   * Joins as participant {@code id} and publishes the media of {@code offer} in one request
   * ({@code joinandconfigure}; {@code options} as for {@code configure}: bitrate, descriptions...);
   * completes with {@code joined} and the SDP answer.
   */
  public Future<JanusReply> joinAndPublish(long room, long id, String display, JsonObject offer, JsonObject options) {
    JsonObject body = (options == null ? new JsonObject() : options.copy()).put("request", "joinandconfigure")
      .put("ptype", "publisher").put("room", room).put("id", id).put("display", display);
    return handle.message(body, offer);
  }

  /** Publishes the media of {@code offer}; completes with {@code configured} and the SDP answer. */
  public Future<JanusReply> publish(JsonObject offer, JsonArray descriptions) {
    JsonObject body = new JsonObject().put("request", "publish");
    if (descriptions != null) {
      body.put("descriptions", descriptions);
    }
    return handle.message(body, offer);
  }

  /** Renegotiates (with {@code offer}) or tweaks an active publisher ({@code body} beyond {@code request}). */
  public Future<JanusReply> configurePublisher(JsonObject body, JsonObject offer) {
    return handle.message(body.copy().put("request", "configure"), offer);
  }

  /**
   * Starts (with {@code filename}: the path of the files without their suffix) or stops Janus
   * recording this publisher: one {@code .mjr} per stream, named {@code <filename>-<audio|video>-<mindex>.mjr}.
   */
  public Future<JanusReply> record(boolean on, String filename) {
    JsonObject body = new JsonObject().put("request", "configure").put("record", on);
    if (on && filename != null) {
      body.put("filename", filename);
    }
    return handle.message(body);
  }

  public Future<JanusReply> unpublish() {
    return handle.message(new JsonObject().put("request", "unpublish"));
  }

  public Future<JanusReply> leave() {
    return handle.message(new JsonObject().put("request", "leave"));
  }

  // --- Subscriber handle ---

  /**
   * One subscription for {@code streams} ({@code [{feed, mid?}]}), possibly of many publishers:
   * completes with {@code attached} (its {@code streams}) and Janus's SDP offer. With
   * {@code autoupdate} false, a publisher leaving marks its streams inactive without a new offer.
   */
  public Future<JanusReply> joinSubscriber(long room, JsonArray streams, boolean autoupdate) {
    return handle.message(new JsonObject().put("request", "join").put("ptype", "subscriber").put("room", room)
      .put("streams", streams).put("autoupdate", autoupdate).put("use_msid", false));
  }

  /** Completes a negotiation with the subscriber's SDP answer (or resumes a paused subscription when null). */
  public Future<JanusReply> start(JsonObject answer) {
    return handle.message(new JsonObject().put("request", "start"), answer);
  }

  /**
   * Changes a subscription: completes with {@code updated}, with a new SDP offer when the media
   * changed (or {@code updating} when Janus postponed it behind a negotiation in progress).
   */
  public Future<JanusReply> update(JsonArray subscribe, JsonArray unsubscribe) {
    JsonObject body = new JsonObject().put("request", "update");
    if (subscribe != null && !subscribe.isEmpty()) {
      body.put("subscribe", subscribe);
    }
    if (unsubscribe != null && !unsubscribe.isEmpty()) {
      body.put("unsubscribe", unsubscribe);
    }
    return handle.message(body);
  }

  /** Per-stream settings of a subscription: {@code [{mid, send?, substream?, temporal?}]}. */
  public Future<JanusReply> configureSubscriber(JsonArray streams) {
    return handle.message(new JsonObject().put("request", "configure").put("streams", streams));
  }
}

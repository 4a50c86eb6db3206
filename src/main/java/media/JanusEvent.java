package media;

import io.vertx.core.json.JsonObject;

/**
 * Something Janus says about a handle without being asked: a plugin event ({@code janus: "event"},
 * e.g. VideoRoom's {@code talking} or {@code publishers}), or a core event about its PeerConnection
 * ({@code webrtcup}, {@code media}, {@code slowlink}, {@code hangup}, {@code detached}).
 *
 * @param type  the {@code janus} field of the message
 * @param data  {@code plugindata.data} for plugin events, else the whole message
 * @param jsep  SDP carried by a plugin event, or null
 */
public record JanusEvent(String type, JsonObject data, JsonObject jsep) {

  public boolean plugin() {
    return "event".equals(type);
  }
}

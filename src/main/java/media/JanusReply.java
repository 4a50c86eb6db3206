package media;

import io.vertx.core.json.JsonObject;

/**
 * A plugin's answer to a request on a handle: its {@code plugindata.data} and, when the plugin
 * negotiates, the SDP it returns ({@code jsep}: an answer to a publisher's offer, an offer to a
 * subscriber).
 */
public record JanusReply(JsonObject data, JsonObject jsep) {
}

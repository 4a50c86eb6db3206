package ai.safety;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the policy decided: {@code action} allow, redact or block; the text to store and show
 * (redacted when so decided); the categories hit ({@code pii.email}, {@code insult}...); and, for a
 * block, a reason to tell the sender.
 */
public record ModerationDecision(String action, String text, List<String> categories, String reason) {

  /** The shape the chat seam ({@code handlers.ChatModerator}) and captions use. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action).put("text", text).put("categories", new JsonArray(categories));
    if (reason != null) {
      json.put("reason", reason);
    }
    return json;
  }
}

package ai.safety;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link ModerationPolicy} decided for one text.
 *
 * @param action     ALLOW, REDACT or BLOCK
 * @param text       the text to store and publish: redacted where the policy says so. For BLOCK it
 *                   is the redacted text too (everything found at or above a threshold is masked), so
 *                   that it is safe to log; it must not be published.
 * @param categories the category labels that caused the action ({@code pii.email}, {@code pii.phone},
 *                   {@code pii.card}, {@code pii.ssn}, {@code pii.iban}, {@code pii.ip}, {@code hate},
 *                   {@code violence}, {@code self_harm}, {@code sexual}, {@code insult}); empty for ALLOW
 * @param reason     for BLOCK, a sentence for the sender saying why; otherwise null
 */
public record ModerationDecision(Action action, String text, List<String> categories, String reason) {

  public enum Action {
    ALLOW, REDACT, BLOCK;

    /** {@code allow}, {@code redact} or {@code block}, as in the contract. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ModerationDecision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(text, "text");
    categories = List.copyOf(categories);
  }

  public static ModerationDecision allow(String text) {
    return new ModerationDecision(Action.ALLOW, text, List.of(), null);
  }

  public boolean blocked() {
    return action == Action.BLOCK;
  }

  /**
   * The answer of the chat moderation seam ({@code handlers.Moderator}):
   * {@code {"action":"allow|redact|block","text":...,"categories":[...]}}, plus {@code "reason"}
   * when blocked.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("action", action.label()).put("text", text).put("categories", new JsonArray(categories));
    if (action == Action.BLOCK && reason != null) {
      json.put("reason", reason);
    }
    return json;
  }

  /**
   * The {@code moderation} object stored with chat messages and captions, without the text:
   * {@code {"action":...,"categories":[...]}}, plus {@code "reason"} when blocked.
   */
  public JsonObject summaryJson() {
    JsonObject json = new JsonObject().put("action", action.label()).put("categories", new JsonArray(categories));
    if (action == Action.BLOCK && reason != null) {
      json.put("reason", reason);
    }
    return json;
  }
}

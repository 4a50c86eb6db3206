package handlers;

import io.vertx.core.json.JsonObject;
import telemetry.ParleyMetrics;

/** Counts a moderation decision other than allow, once per category it hit. */
final class CountModeration {

  private CountModeration() {
  }

  static void count(ParleyMetrics metrics, JsonObject decision) {
    String action = decision.getString("action", "allow");
    if ("allow".equals(action)) {
      return;
    }
    var categories = decision.getJsonArray("categories");
    if (categories == null || categories.isEmpty()) {
      metrics.moderationAction(action, "unknown");
      return;
    }
    categories.forEach(c -> metrics.moderationAction(action, String.valueOf(c)));
  }
}

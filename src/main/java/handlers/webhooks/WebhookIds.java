package handlers.webhooks;

import common.ParleyException;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A webhook id from the path: anything but a lower-case canonical UUID is 404. */
final class WebhookIds {

  private WebhookIds() {
  }

  static UUID of(JsonObject body) {
    return optional(body, "webhookId", true);
  }

  static UUID optional(JsonObject body, String field, boolean required) {
    Object value = body.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (value instanceof String s) {
      try {
        UUID id = UUID.fromString(s);
        if (id.toString().equals(s)) {
          return id;
        }
      } catch (IllegalArgumentException ignored) {
        // 404 below
      }
    }
    throw ParleyException.notFound("webhook not found");
  }
}

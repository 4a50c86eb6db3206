package handlers;

import common.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Tells the webhook service that something happened in a tenant ({@link Addresses#WEBHOOK_EVENT}).
 * Fire and forget: a slow or failing receiver, or no webhook service at all, never holds up the
 * meeting that emitted it.
 */
public final class Webhooks {

  private Webhooks() {
  }

  public static void emit(EventBus eventBus, String tenant, String event, JsonObject data) {
    eventBus.send(Addresses.WEBHOOK_EVENT, new JsonObject().put("tenant", tenant).put("event", event).put("data", data));
  }
}

package handlers.webhooks;

import data.WebhookRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code parley.webhook.test} ({@code POST /api/v1/webhooks/{id}/test}, the test button): queues a
 * {@code ping} to that webhook, delivered and logged like any event; 202 with its delivery id.
 */
public final class TestWebhookHandler extends RequestHandler {

  private final WebhookRepository webhooks;
  private final Runnable kick;

  TestWebhookHandler(WebhookRepository webhooks, Runnable kick) {
    this.webhooks = webhooks;
    this.kick = kick;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Admins.require(caller);
    UUID id = WebhookIds.of(body);
    return webhooks.get(caller.tenant(), id)
      .compose(hook -> webhooks.queuePing(caller.tenant(), id, new JsonObject().put("webhookId", id.toString())
        .put("by", caller.userId()).put("at", Instant.now().toString())))
      .map(deliveryId -> {
        kick.run();
        return withStatus(new JsonObject().put("deliveryId", deliveryId.toString()).put("status", "pending"), 202);
      });
  }
}

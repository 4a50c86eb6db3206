package handlers.webhooks;

import data.WebhookRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.webhook.deliveries} ({@code GET /api/v1/webhooks/deliveries?webhookId=&limit=&cursor=}):
 * the tenant's delivery log, newest first: each delivery's event, status, attempts, last HTTP
 * status and error; admins only.
 */
public final class ListDeliveriesHandler extends RequestHandler {

  private final WebhookRepository webhooks;

  ListDeliveriesHandler(WebhookRepository webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Admins.require(caller);
    int limit = (int) Inputs.longValue(body, "limit", 50, 1, 200);
    return webhooks.deliveries(caller.tenant(), WebhookIds.optional(body, "webhookId", false), limit,
      Inputs.optionalString(body, "cursor", 200));
  }
}

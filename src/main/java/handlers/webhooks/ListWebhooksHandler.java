package handlers.webhooks;

import data.WebhookRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.webhook.list} ({@code GET /api/v1/webhooks}): the tenant's webhooks, without their secrets; admins only. */
public final class ListWebhooksHandler extends RequestHandler {

  private final WebhookRepository webhooks;

  ListWebhooksHandler(WebhookRepository webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Admins.require(caller);
    return webhooks.list(caller.tenant()).map(items -> new JsonObject().put("items", items));
  }
}

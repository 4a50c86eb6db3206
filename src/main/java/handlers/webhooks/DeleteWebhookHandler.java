package handlers.webhooks;

import data.WebhookRepository;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.webhook.delete} ({@code DELETE /api/v1/webhooks/{id}}): removes a webhook and its delivery log; admins only. */
public final class DeleteWebhookHandler extends RequestHandler {

  private final WebhookRepository webhooks;

  DeleteWebhookHandler(WebhookRepository webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Admins.require(caller);
    java.util.UUID id = WebhookIds.of(body);
    return webhooks.delete(caller.tenant(), id).map(v -> new JsonObject().put("id", id.toString()).put("deleted", true));
  }
}

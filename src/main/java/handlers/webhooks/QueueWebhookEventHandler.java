package handlers.webhooks;

import data.WebhookRepository;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code parley.webhook.event} {@code {tenant, event, data}}: queues a delivery of the event for
 * each of the tenant's webhooks that wants it, then has the dispatcher look at once. No reply: the
 * meeting that emitted it never waits.
 */
public final class QueueWebhookEventHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(QueueWebhookEventHandler.class);

  private final WebhookRepository webhooks;
  private final Runnable kick;

  QueueWebhookEventHandler(WebhookRepository webhooks, Runnable kick) {
    this.webhooks = webhooks;
    this.kick = kick;
  }

  @Override
  public void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || body.getString("tenant") == null
      || !WebhookEvents.ALL.contains(body.getString("event"))) {
      LOG.warn("Ignoring a malformed webhook event: {}", message.body());
      return;
    }
    JsonObject data = body.getValue("data") instanceof JsonObject d ? d : new JsonObject();
    webhooks.queue(body.getString("tenant"), body.getString("event"), data)
      .onSuccess(n -> {
        if (n > 0) {
          kick.run();
        }
      })
      .onFailure(err -> LOG.warn("Could not queue webhook event {} of tenant {}: {}", body.getString("event"),
        body.getString("tenant"), err.getMessage()));
  }
}

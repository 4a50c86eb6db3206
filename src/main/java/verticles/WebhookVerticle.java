package verticles;

import config.Section;
import data.WebhookRepository;
import handlers.webhooks.WebhookService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** Tenant webhooks: wires the {@code webhooks} settings to the webhook service. */
public final class WebhookVerticle extends VerticleBase {

  private final Services services;
  private WebhookService service;

  public WebhookVerticle(Services services) {
    this.services = services;
  }

  static WebhookService.Settings settings(JsonObject config) {
    Section s = Section.of(config, "webhooks");
    return new WebhookService.Settings(s.longValue("timeoutMs", 100, 600_000), s.integer("maxAttempts", 1, 100),
      s.longValue("retryBaseMs", 10, 86_400_000), s.longValue("retryMaxMs", 10, 7 * 86_400_000L), s.longValue("pollMs", 10, 3_600_000),
      s.integer("batchSize", 1, 1000), s.integer("leaseSeconds", 1, 86_400), s.integer("maxPerTenant", 1, 10_000),
      s.strings("allowPrivate"), s.optionalString("caFile"));
  }

  @Override
  public Future<?> start() {
    service = new WebhookService(vertx, new WebhookRepository(services.db()), settings(services.config()));
    return service.start();
  }

  @Override
  public Future<?> stop() {
    return service == null ? Future.succeededFuture() : service.stop();
  }
}

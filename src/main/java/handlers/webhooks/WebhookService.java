package handlers.webhooks;

import common.Addresses;
import data.WebhookRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemTrustOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Tenant webhooks: the administrators' routes, the queue fed by {@code parley.webhook.event}, and
 * the dispatcher that delivers. One per webhook verticle instance; {@link #start} registers its
 * addresses and starts dispatching, {@link #stop} stops it.
 */
public final class WebhookService {

  /**
   * The {@code webhooks} settings. {@code allowPrivate}: address ranges (CIDRs) webhooks may reach
   * although not public; {@code caFile}: a PEM file of the only certificate authorities to trust
   * (default: the JVM's).
   */
  public record Settings(long timeoutMs, int maxAttempts, long retryBaseMs, long retryMaxMs, long pollMs, int batchSize,
                         int leaseSeconds, int maxPerTenant, List<String> allowPrivate, String caFile) {
  }

  private final Vertx vertx;
  private final WebhookRepository webhooks;
  private final Settings settings;
  private WorkerExecutor dns;
  private HttpClient client;
  private DeliverWebhooks dispatcher;

  public WebhookService(Vertx vertx, WebhookRepository webhooks, Settings settings) {
    this.vertx = vertx;
    this.webhooks = webhooks;
    this.settings = settings;
  }

  /** Fails at once (before anything is registered) when a setting cannot be used. */
  public Future<Void> start() {
    TargetPolicy policy;
    try {
      dns = vertx.createSharedWorkerExecutor("parley-webhook-dns", 2);
      policy = new TargetPolicy(dns, settings.allowPrivate());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true).setForceSni(true)
      .setKeepAlive(false).setConnectTimeout((int) settings.timeoutMs());
    if (settings.caFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(settings.caFile()));
    }
    client = vertx.createHttpClient(options);
    dispatcher = new DeliverWebhooks(vertx, webhooks, policy, client, settings);
    EventBus eb = vertx.eventBus();
    List<MessageConsumer<Object>> consumers = new ArrayList<>();
    consumers.add(eb.consumer(Addresses.WEBHOOK_CREATE, new CreateWebhookHandler(webhooks, policy, settings.maxPerTenant())));
    consumers.add(eb.consumer(Addresses.WEBHOOK_LIST, new ListWebhooksHandler(webhooks)));
    consumers.add(eb.consumer(Addresses.WEBHOOK_DELETE, new DeleteWebhookHandler(webhooks)));
    consumers.add(eb.consumer(Addresses.WEBHOOK_TEST, new TestWebhookHandler(webhooks, dispatcher::tick)));
    consumers.add(eb.consumer(Addresses.WEBHOOK_DELIVERIES, new ListDeliveriesHandler(webhooks)));
    consumers.add(eb.consumer(Addresses.WEBHOOK_EVENT, new QueueWebhookEventHandler(webhooks, dispatcher::tick)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      .onSuccess(v -> dispatcher.start())
      .mapEmpty();
  }

  public Future<Void> stop() {
    if (dispatcher != null) {
      dispatcher.stop();
    }
    List<Future<?>> closing = new ArrayList<>();
    if (client != null) {
      closing.add(client.close());
    }
    if (dns != null) {
      closing.add(dns.close());
    }
    return Future.join(closing).mapEmpty();
  }
}

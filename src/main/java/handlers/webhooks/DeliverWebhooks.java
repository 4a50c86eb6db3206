package handlers.webhooks;

import data.WebhookRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The dispatcher: every {@code webhooks.pollMs}, and at once when something was queued, takes the
 * deliveries that are due (on any node: the table is the queue, see {@link WebhookRepository}) and
 * posts each one: the target checked again and connected to at the address checked, the body
 * signed, a bounded time to answer. A 2xx is delivered; anything else is retried after
 * {@code retryBaseMs} doubling up to {@code retryMaxMs}, at most {@code maxAttempts} times.
 * Confined to its verticle's event loop.
 */
final class DeliverWebhooks {

  private static final Logger LOG = LoggerFactory.getLogger(DeliverWebhooks.class);

  private final Vertx vertx;
  private final WebhookRepository webhooks;
  private final TargetPolicy policy;
  private final HttpClient client;
  private final WebhookService.Settings settings;
  private boolean running;
  private boolean again;
  private long timer = -1;

  DeliverWebhooks(Vertx vertx, WebhookRepository webhooks, TargetPolicy policy, HttpClient client, WebhookService.Settings settings) {
    this.vertx = vertx;
    this.webhooks = webhooks;
    this.policy = policy;
    this.client = client;
    this.settings = settings;
  }

  void start() {
    timer = vertx.setPeriodic(settings.pollMs(), id -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Looks for due deliveries now (or right after the pass under way). */
  void tick() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    webhooks.claimDue(settings.batchSize(), settings.leaseSeconds())
      .compose(due -> Future.join(due.stream().map(this::attempt).toList()).map(v -> due.size()))
      .onComplete(ar -> {
        running = false;
        if (ar.failed()) {
          LOG.warn("Webhook dispatch failed: {}", ar.cause().getMessage());
        }
        if (again || (ar.succeeded() && ar.result() == settings.batchSize())) {
          tick();
        }
      });
  }

  /** The body every attempt of a delivery sends, the same each time. */
  static Buffer body(WebhookRepository.Due due) {
    return new JsonObject().put("id", due.id().toString()).put("event", due.event()).put("tenant", due.tenant())
      .put("createdAt", due.createdAt().toInstant().toString()).put("data", due.payload()).toBuffer();
  }

  /** {@code v1=} HMAC-SHA256 of {@code "<timestamp>.<body>"} with the webhook's secret, in hex. */
  static String sign(String secret, long timestamp, Buffer body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return "v1=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private Future<Void> attempt(WebhookRepository.Due due) {
    TargetPolicy.Target target;
    try {
      target = TargetPolicy.parse(due.url());
    } catch (RuntimeException e) {
      return failed(due, null, "target refused: " + e.getMessage());
    }
    Buffer body = body(due);
    long timestamp = System.currentTimeMillis() / 1000;
    return policy.resolve(target)
      .transform(resolved -> resolved.succeeded() ? post(due, target, resolved.result(), body, timestamp)
        .transform(posted -> posted.succeeded() && posted.result() / 100 == 2 ? webhooks.delivered(due.id(), posted.result())
          : posted.succeeded() ? failed(due, posted.result(), "HTTP " + posted.result())
          : failed(due, null, describe(posted.cause())))
        : failed(due, null, "target refused: " + resolved.cause().getMessage()))
      .recover(err -> {
        LOG.warn("Webhook delivery {}: could not record the attempt: {}", due.id(), err.getMessage());
        return Future.succeededFuture();
      });
  }

  private Future<Integer> post(WebhookRepository.Due due, TargetPolicy.Target target, InetAddress address, Buffer body, long timestamp) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.host()).setPort(target.port())
      .setURI(target.pathAndQuery()).setSsl(true).setFollowRedirects(false)
      // the address just checked, not a second lookup that could answer otherwise
      .setServer(SocketAddress.inetSocketAddress(target.port(), address.getHostAddress()))
      .setConnectTimeout(settings.timeoutMs()).setIdleTimeout(settings.timeoutMs())
      .putHeader("Content-Type", "application/json").putHeader("User-Agent", "Parley-Webhooks/1")
      .putHeader("X-Parley-Event", due.event()).putHeader("X-Parley-Delivery", due.id().toString())
      .putHeader("X-Parley-Timestamp", String.valueOf(timestamp))
      .putHeader("X-Parley-Signature", sign(due.secret(), timestamp, body));
    return client.request(options).compose(request -> request.send(body)
        .compose(response -> {
          response.handler(ignored -> { });
          return response.end().map(v -> response.statusCode());
        }))
      .timeout(2 * settings.timeoutMs(), TimeUnit.MILLISECONDS);
  }

  private Future<Void> failed(WebhookRepository.Due due, Integer status, String error) {
    boolean last = due.attempt() >= settings.maxAttempts();
    double delayMs = Math.min(settings.retryMaxMs(), settings.retryBaseMs() * Math.pow(2, due.attempt() - 1));
    LOG.info("Webhook delivery {} ({} of tenant {}) attempt {} failed: {}{}", due.id(), due.event(), due.tenant(),
      due.attempt(), error, last ? "; giving up" : "; again in " + Math.round(delayMs) + " ms");
    String shortError = error.length() > 500 ? error.substring(0, 500) : error;
    return webhooks.attemptFailed(due.id(), status, shortError, last ? null : delayMs / 1000);
  }

  private String describe(Throwable err) {
    if (err instanceof java.util.concurrent.TimeoutException || (err.getMessage() != null && err.getMessage().contains("timeout"))) {
      return "no answer within " + settings.timeoutMs() + " ms";
    }
    if (err instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (err instanceof javax.net.ssl.SSLException) {
      return "TLS failed: " + err.getMessage();
    }
    String message = err.getMessage();
    return message == null ? err.getClass().getSimpleName() : message;
  }
}

package verticles;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * A running Parley server: one {@code Vertx} with metrics switched on at the builder, and the
 * bootstrap verticle deployed on it. {@link Main} uses it; so do the tests.
 */
public final class Parley {

  private final Vertx vertx;
  private final int port;
  private final PrometheusMeterRegistry registry;

  private Parley(Vertx vertx, int port, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.port = port;
    this.registry = registry;
  }

  public static Future<Parley> start(JsonObject config) {
    int port = config.getJsonObject("http").getInteger("port", 8080);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
      // Route templates, never raw paths: a label must not carry a meeting id.
      .setLabels(java.util.EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
        Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME));
    Vertx vertx = Vertx.builder()
      .with(new VertxOptions().setMetricsOptions(metrics))
      .withMetrics(new MicrometerMetricsFactory(registry))
      .build();
    return vertx.deployVerticle(new MainVerticle(config, registry, port))
      .map(id -> new Parley(vertx, port, registry))
      .recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return port;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Undeploys everything (drains sockets, closes pools, stops embedded servers) and closes Vert.x. */
  public Future<Void> stop() {
    return vertx.close();
  }
}

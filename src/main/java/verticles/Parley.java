package verticles;

import config.Section;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import telemetry.Tracing;

import java.util.List;

/**
 * A running Parley server: one {@code Vertx} with metrics switched on at the builder (clustered
 * over Hazelcast when {@code cluster.enabled}), and the bootstrap verticle deployed on it.
 * {@link Main} uses it; so do the tests.
 */
public final class Parley {

  private final Vertx vertx;
  private final int port;
  private final PrometheusMeterRegistry registry;

  private final OpenTelemetrySdk otel;

  private final HazelcastClusterManager clusterManager;

  private final MainVerticle main;

  private Parley(Vertx vertx, int port, PrometheusMeterRegistry registry, OpenTelemetrySdk otel,
                 HazelcastClusterManager clusterManager, MainVerticle main) {
    this.main = main;
    this.clusterManager = clusterManager;
    this.otel = otel;
    this.vertx = vertx;
    this.port = port;
    this.registry = registry;
  }

  public static Future<Parley> start(JsonObject config) {
    return start(config, null);
  }

  /**
   * @param extraSpanExporter receives every span as well (tests pass an in-memory exporter); with
   *                          it, or with {@code telemetry.otlpEndpoint}, tracing is on
   */
  public static Future<Parley> start(JsonObject config, SpanExporter extraSpanExporter) {
    OpenTelemetrySdk otel;
    try {
      otel = Tracing.create(config.getJsonObject("telemetry"), extraSpanExporter);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    int port = config.getJsonObject("http").getInteger("port", 8080);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
      .setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
      // Route templates, never raw paths: a label must not carry a meeting id.
      .setLabels(java.util.EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS,
        Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME));
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics);
    int eventLoops;
    Transport transport;
    try {
      // 0: Vert.x's default, twice the cores
      // (a verticles setting that is not an object is refused by the main verticle, naming it)
      boolean verticlesObject = config.getValue("verticles") instanceof JsonObject;
      JsonObject verticles = verticlesObject ? config.getJsonObject("verticles") : new JsonObject();
      eventLoops = verticles.getValue("eventLoops") != null ? Section.of(config, "verticles").integer("eventLoops", 0, 1024) : 0;
      transport = transport(verticles.getValue("transport") != null
        ? Section.of(config, "verticles").choice("transport", TRANSPORTS) : "auto");
    } catch (RuntimeException e) {
      closeTracing(otel);
      return Future.failedFuture(e);
    }
    if (eventLoops > 0) {
      options.setEventLoopPoolSize(eventLoops);
    }
    // With Azure Monitor, every meter is registered in Prometheus' registry and in OpenTelemetry's too.
    MeterRegistry meters = Tracing.azureMonitorMeters(config.getJsonObject("telemetry"), otel)
      .<MeterRegistry>map(azure -> new CompositeMeterRegistry(Clock.SYSTEM, List.of(registry, azure)))
      .orElse(registry);
    // Per-meeting and per-socket event-bus addresses are folded into their pattern: a label must not carry a meeting id.
    // Before Vert.x registers any meter.
    meters.config().meterFilter(new telemetry.EventBusAddressLabels());
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(meters)).withTransport(transport);
    if (otel != null) {
      options.setTracingOptions(new OpenTelemetryOptions());
      builder.withTracer(new OpenTelemetryTracingFactory(otel));
    }
    HazelcastClusterManager clusterManager = null;
    Future<Vertx> built;
    if (Clustering.enabled(config)) {
      Clustering.Settings settings;
      try {
        settings = Clustering.Settings.parse(config.getJsonObject("cluster"));
      } catch (IllegalArgumentException e) {
        closeTracing(otel);
        return Future.failedFuture(e);
      }
      clusterManager = Clustering.clusterManager(settings);
      Clustering.eventBus(options, settings);
      built = builder.with(options).withClusterManager(clusterManager).buildClustered();
    } else {
      built = Future.succeededFuture(builder.with(options).build());
    }
    HazelcastClusterManager cluster = clusterManager;
    // The caller's promise is completed before Vert.x closes: a listener chained on the closing
    // instance would be scheduled on an event loop that no longer runs.
    Promise<Parley> started = Promise.promise();
    built.onFailure(err -> {
      closeTracing(otel);
      started.fail(new IllegalStateException("cannot join the cluster: " + err.getMessage(), err));
    }).onSuccess(vertx -> {
      if (cluster != null) {
        org.slf4j.LoggerFactory.getLogger(Parley.class).info("Joined cluster {} as node {}: {} member(s) now",
          config.getJsonObject("cluster").getString("name", "parley"), cluster.getNodeId(), cluster.getNodes().size());
      }
      MainVerticle main = new MainVerticle(config, registry, meters, Tracing.api(otel), port);
      vertx.deployVerticle(main).onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(new Parley(vertx, port, registry, otel, cluster, main));
      } else {
        started.fail(ar.cause());
        vertx.close().onComplete(v -> closeTracing(otel));
      }
      });
    });
    return started.future();
  }

  /** What {@code verticles.transport} may be. */
  static final List<String> TRANSPORTS = List.of("auto", "epoll", "nio");

  /**
   * The network transport for every server and client of the instance. {@code auto} (the default)
   * is Netty's native epoll transport where it loads (Linux on x86-64: the jar ships its library),
   * else Java's NIO, saying why; {@code epoll} insists on epoll and refuses to start without it.
   * In the fan-out bench, half the server's CPU is writing frames to sockets; epoll writes straight
   * from the buffer's address and waits on the kernel's epoll without NIO's selector around it.
   */
  static Transport transport(String setting) {
    org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Parley.class);
    if (setting.equals("nio")) {
      log.info("Network transport: NIO (verticles.transport = nio)");
      return Transport.NIO;
    }
    if (Transport.EPOLL.available()) {
      log.info("Network transport: native epoll");
      return Transport.EPOLL;
    }
    Throwable cause = Transport.EPOLL.unavailabilityCause();
    String why = cause == null ? "not available" : cause.toString();
    if (setting.equals("epoll")) {
      throw new config.ConfigException("verticles.transport is epoll, but the native epoll transport does not load here: " + why);
    }
    log.info("Network transport: NIO; the native epoll transport does not load here ({})", why);
    return Transport.NIO;
  }

  /** The Hazelcast cluster manager when {@code cluster.enabled}, else null. */
  public HazelcastClusterManager clusterManager() {
    return clusterManager;
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

  /**
   * Stops gracefully: the gateway first (sockets closed with 1001 "going away" so clients reconnect,
   * requests in flight finished within {@code http.drainTimeoutMs}), then the services, the pools
   * and the embedded servers; then Vert.x (leaving the cluster).
   */
  public Future<Void> stop() {
    return main.drain().eventually(vertx::close).eventually(() -> closeTracing(otel));
  }

  /**
   * Flushes and shuts down the whole SDK: tracer, meter and logger providers. (Only the tracer's
   * once: Azure Monitor's meter provider then kept exporting every interval, to nowhere, for as
   * long as the JVM ran.) Completes when the exporters are done.
   */
  private static Future<Void> closeTracing(OpenTelemetrySdk otel) {
    if (otel == null) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    io.opentelemetry.sdk.common.CompletableResultCode code = otel.shutdown();
    code.whenComplete(done::tryComplete);
    return done.future();
  }
}

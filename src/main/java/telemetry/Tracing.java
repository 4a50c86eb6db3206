package telemetry;

import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigure;
import com.azure.monitor.opentelemetry.autoconfigure.AzureMonitorAutoConfigureOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.instrumentation.micrometer.v1_5.OpenTelemetryMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * OpenTelemetry for Parley: W3C {@code traceparent} propagation and up to three destinations, any
 * of them together: an OTLP exporter to {@code telemetry.otlpEndpoint} ({@code grpc} on 4317 by
 * default, or {@code http/protobuf}), Azure Monitor (Application Insights) when
 * {@code telemetry.azureMonitor.connectionString} is set, and an extra exporter (tests use an
 * in-memory one). Without any, tracing is off and costs nothing.
 *
 * <p>Azure Monitor goes through Microsoft's OpenTelemetry distro
 * ({@code azure-monitor-opentelemetry-autoconfigure}): spans become requests (server spans) and
 * dependencies (client and internal spans) with their parent links, sent to the connection
 * string's {@code IngestionEndpoint} ({@code /v2.1/track}, gzip JSON lines), and Application
 * Insights' standard metrics (request and dependency rates, durations, failures) are derived from
 * them. Its live metrics stream is off unless {@code telemetry.azureMonitor.liveMetrics} is true.
 * Parley's own meters go there too, as custom metrics, through {@link #azureMonitorMeters}.
 */
public final class Tracing {

  private Tracing() {
  }

  /** @return the SDK, or null when tracing is off */
  public static OpenTelemetrySdk create(JsonObject telemetry, SpanExporter extraExporter) {
    JsonObject t = telemetry == null ? new JsonObject() : telemetry;
    String endpoint = blankToNull(t.getString("otlpEndpoint"));
    JsonObject azure = t.getJsonObject("azureMonitor", new JsonObject());
    String connectionString = blankToNull(azure.getString("connectionString"));
    if (endpoint == null && connectionString == null && extraExporter == null) {
      return null;
    }
    String serviceName = t.getString("serviceName") == null ? "parley" : t.getString("serviceName");
    Resource service = Resource.create(Attributes.builder().put("service.name", serviceName).build());
    SpanExporter otlp = endpoint == null ? null : otlp(endpoint, t.getString("otlpProtocol"));
    if (connectionString == null) {
      SdkTracerProviderBuilder provider = SdkTracerProvider.builder().setResource(Resource.getDefault().merge(service));
      addProcessors(provider, otlp, extraExporter);
      return OpenTelemetrySdk.builder()
        .setTracerProvider(provider.build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    }
    AutoConfiguredOpenTelemetrySdkBuilder sdk = AutoConfiguredOpenTelemetrySdk.builder()
      .disableShutdownHook() // Parley closes it, after the last span
      .addPropertiesSupplier(() -> Map.of(
        "otel.service.name", serviceName,
        "otel.propagators", "tracecontext",
        "applicationinsights.live.metrics.enabled", String.valueOf(azure.getBoolean("liveMetrics", false)),
        "otel.metric.export.interval", String.valueOf(1000L * azure.getInteger("metricsIntervalSeconds", 60))))
      .addResourceCustomizer((resource, config) -> resource.merge(service))
      .addTracerProviderCustomizer((provider, config) -> addProcessors(provider, otlp, extraExporter));
    try {
      AzureMonitorAutoConfigure.customize(sdk, new AzureMonitorAutoConfigureOptions().connectionString(connectionString));
      return sdk.build().getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("telemetry.azureMonitor.connectionString is not a valid Application Insights"
        + " connection string: " + e.getMessage(), e);
    }
  }

  /**
   * Parley's Micrometer meters (the {@code parley_*} families, the JVM's and Vert.x's) as
   * OpenTelemetry metrics, exported to Azure Monitor every
   * {@code telemetry.azureMonitor.metricsIntervalSeconds} as custom metrics ({@code MetricData}), when
   * a connection string is set and {@code telemetry.azureMonitor.metrics} is not false; otherwise
   * empty. Add it beside the Prometheus registry (a composite), so that {@code /metrics} is unchanged.
   */
  public static java.util.Optional<MeterRegistry> azureMonitorMeters(JsonObject telemetry, OpenTelemetrySdk sdk) {
    JsonObject azure = telemetry == null ? new JsonObject() : telemetry.getJsonObject("azureMonitor", new JsonObject());
    if (sdk == null || blankToNull(azure.getString("connectionString")) == null || !azure.getBoolean("metrics", true)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(OpenTelemetryMeterRegistry.builder(sdk).build());
  }

  /** The API view: the SDK, or a no-op when tracing is off. */
  public static OpenTelemetry api(OpenTelemetrySdk sdk) {
    return sdk == null ? OpenTelemetry.noop() : sdk;
  }

  private static SpanExporter otlp(String endpoint, String protocolSetting) {
    String protocol = protocolSetting == null ? "grpc" : protocolSetting;
    return switch (protocol) {
      case "grpc" -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
      case "http/protobuf" -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
      default -> throw new IllegalArgumentException("telemetry.otlpProtocol must be grpc or http/protobuf, not '" + protocol + "'");
    };
  }

  private static SdkTracerProviderBuilder addProcessors(SdkTracerProviderBuilder provider, SpanExporter otlp,
                                                        SpanExporter extra) {
    if (otlp != null) {
      provider.addSpanProcessor(BatchSpanProcessor.builder(otlp).build());
    }
    if (extra != null) {
      provider.addSpanProcessor(SimpleSpanProcessor.create(extra));
    }
    return provider;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }
}

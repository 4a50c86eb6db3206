package telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.json.JsonObject;

/**
 * OpenTelemetry for Parley: W3C {@code traceparent} propagation, an OTLP exporter to
 * {@code telemetry.otlpEndpoint} ({@code grpc} on 4317 by default, or {@code http/protobuf}), and
 * optionally an extra exporter (tests use an in-memory one). Without either, tracing is off and
 * costs nothing.
 */
public final class Tracing {

  private Tracing() {
  }

  /** @return the SDK, or null when tracing is off */
  public static OpenTelemetrySdk create(JsonObject telemetry, SpanExporter extraExporter) {
    String endpoint = telemetry == null ? null : telemetry.getString("otlpEndpoint");
    if ((endpoint == null || endpoint.isBlank()) && extraExporter == null) {
      return null;
    }
    String serviceName = telemetry == null || telemetry.getString("serviceName") == null ? "parley" : telemetry.getString("serviceName");
    SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
      .setResource(Resource.getDefault().merge(Resource.create(Attributes.builder().put("service.name", serviceName).build())));
    if (endpoint != null && !endpoint.isBlank()) {
      String protocol = telemetry.getString("otlpProtocol") == null ? "grpc" : telemetry.getString("otlpProtocol");
      SpanExporter exporter = switch (protocol) {
        case "grpc" -> OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build();
        case "http/protobuf" -> OtlpHttpSpanExporter.builder().setEndpoint(endpoint).build();
        default -> throw new IllegalArgumentException("telemetry.otlpProtocol must be grpc or http/protobuf, not '" + protocol + "'");
      };
      provider.addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
    }
    if (extraExporter != null) {
      provider.addSpanProcessor(SimpleSpanProcessor.create(extraExporter));
    }
    return OpenTelemetrySdk.builder()
      .setTracerProvider(provider.build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  }

  /** The API view: the SDK, or a no-op when tracing is off. */
  public static OpenTelemetry api(OpenTelemetrySdk sdk) {
    return sdk == null ? OpenTelemetry.noop() : sdk;
  }
}

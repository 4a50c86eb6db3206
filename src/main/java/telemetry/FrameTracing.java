package telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * The gateway's span for a socket frame (the bridge's, or the audio socket's captions). A WebSocket frame is not an HTTP request, so Vert.x does
 * not trace it by itself: this starts a server span from the frame's {@code traceparent} header (or
 * a new trace), and replaces that header with the span's own, which the event bus then carries to
 * the service.
 */
public final class FrameTracing {

  /** The client's trace context from HTTP headers (the audio socket's upgrade request). */
  public static JsonObject traceHeaders(io.vertx.core.MultiMap headers) {
    JsonObject out = new JsonObject();
    for (String name : new String[]{"traceparent", "tracestate"}) {
      String value = headers.get(name);
      if (value != null && value.length() < 256) {
        out.put(name, value);
      }
    }
    return out;
  }

  private static final TextMapGetter<JsonObject> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(JsonObject carrier) {
      return carrier.fieldNames();
    }

    @Override
    public String get(JsonObject carrier, String key) {
      return carrier == null ? null : carrier.getString(key);
    }
  };
  private static final TextMapSetter<JsonObject> SETTER = (carrier, key, value) -> carrier.put(key, value);

  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;

  public FrameTracing(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
    this.tracer = openTelemetry.getTracer("parley.gateway");
  }

  /** Records the frame's span (ended at once: the service's span carries the work) into {@code headers}. */
  public void record(String address, Identity identity, JsonObject headers) {
    record("bridge " + address, address, identity, headers);
  }

  /** The same for any gateway event named {@code spanName}, e.g. a caption from an audio stream. */
  public void record(String spanName, String address, Identity identity, JsonObject headers) {
    Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), headers, GETTER);
    Span span = tracer.spanBuilder(spanName).setParent(parent).setSpanKind(SpanKind.SERVER)
      .setAttribute("messaging.destination.name", address)
      .setAttribute("parley.tenant", identity.tenant())
      .startSpan();
    if (!span.getSpanContext().isValid()) {
      return;
    }
    headers.remove("traceparent");
    headers.remove("tracestate");
    openTelemetry.getPropagators().getTextMapPropagator().inject(Context.root().with(span), headers, SETTER);
    span.end();
  }
}

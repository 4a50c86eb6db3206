package telemetry;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * Logback {@code %traceId}: the current span's trace id (Vert.x keeps the OpenTelemetry context
 * in its context locals, so this works on event-loop threads), or nothing outside a trace.
 */
public final class TraceIdConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? "trace=" + span.getTraceId() : "";
  }
}

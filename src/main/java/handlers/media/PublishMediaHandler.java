package handlers.media;

import common.Addresses;
import handlers.MeetingAccess;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;

import java.time.Duration;
import java.util.UUID;

/**
 * {@code media.publish}: the caller's camera or screen, published into the meeting's room (made
 * on the first publish); the reply carries Janus's SDP answer and the connection id the page
 * names in later requests. Traced as a {@code media.join} span.
 */
public final class PublishMediaHandler extends MediaRequest {

  private final Tracer tracer;
  private final ParleyMetrics metrics;

  public PublishMediaHandler(MeetingAccess access, MediaRooms rooms, Tracer tracer, ParleyMetrics metrics) {
    super(access, rooms, "publish");
    this.tracer = tracer;
    this.metrics = metrics;
  }

  @Override
  protected void check(JsonObject body) {
    MediaInputs.kind(body);
    MediaInputs.jsep(body, "offer", rooms.settings().maxSdpBytes());
  }

  @Override
  protected Future<JsonObject> run(Identity caller, UUID meetingId, JsonObject body) {
    String kind = MediaInputs.kind(body);
    Span span = tracer.spanBuilder("media.join").setParent(Context.current()).setSpanKind(SpanKind.INTERNAL)
      .setAttribute("messaging.destination.name", Addresses.MEDIA_PUBLISH).setAttribute("parley.tenant", caller.tenant())
      .setAttribute("parley.media.kind", kind).startSpan();
    long started = System.nanoTime();
    return super.run(caller, meetingId, body).onComplete(ar -> {
      metrics.mediaJoin(ar.succeeded() ? "published" : "refused", Duration.ofNanos(System.nanoTime() - started));
      if (ar.failed()) {
        span.setStatus(StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
      }
      span.end();
    });
  }
}

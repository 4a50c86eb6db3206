package handlers.captions;

import ai.Translator;
import data.PresenceStore;
import handlers.AiBudget;
import handlers.AiUsage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A final caption's translations into every language chosen in the meeting and the tenant's
 * defaults: one provider call, as a span of the caption's trace, bounded by a timeout, timed and
 * metered. A failure or timeout never holds the caption back: it goes out with what arrived. While
 * the tenant's AI budget is spent, nothing is translated and the caption says so
 * ({@code translationPaused: true}).
 */
final class TranslateCaption {

  private static final Logger LOG = LoggerFactory.getLogger(TranslateCaption.class);

  private final Translator translator;
  private final PresenceStore presence;
  private final ParleyMetrics metrics;
  private final AiUsage usage;
  private final long timeoutMs;
  private final Tracer tracer;
  private final AiBudget budget;

  TranslateCaption(Translator translator, PresenceStore presence, ParleyMetrics metrics, AiUsage usage, long timeoutMs,
                   Tracer tracer, AiBudget budget) {
    this.budget = budget;
    this.translator = translator;
    this.presence = presence;
    this.metrics = metrics;
    this.usage = usage;
    this.timeoutMs = timeoutMs;
    this.tracer = tracer;
  }

  /** Puts {@code translations} into {@code caption}; continues on {@code on} with the caption's trace current. */
  Future<JsonObject> translate(String tenant, UUID meetingId, JsonObject caption, JsonArray tenantLanguages, CaptionContext on) {
    String source = caption.getString("lang");
    return on.resume(presence.captionLanguages(tenant, meetingId).otherwise(List.of())).compose(chosen -> {
      TreeSet<String> targets = new TreeSet<>(chosen);
      tenantLanguages.forEach(l -> targets.add(String.valueOf(l)));
      targets.remove(source);
      if (targets.isEmpty()) {
        return Future.succeededFuture(caption);
      }
      return on.resume(budget.status(tenant)).compose(status -> status.translationPaused()
        ? Future.succeededFuture(caption.put("translationPaused", true))
        : translate(tenant, meetingId, caption, source, targets, on));
    });
  }

  private Future<JsonObject> translate(String tenant, UUID meetingId, JsonObject caption, String source, TreeSet<String> targets,
                                       CaptionContext on) {
    String text = caption.getString("text");
    long started = System.nanoTime();
    // The provider call as a span of the caption's trace, whatever context the provider's client
    // continues on; its own HTTP span (when it propagates) hangs under this one.
    Span span = tracer.spanBuilder("translate " + translator.provider())
      .setParent(on.trace()).setSpanKind(SpanKind.CLIENT)
      .setAttribute("parley.ai.service", "translation").setAttribute("parley.ai.provider", translator.provider())
      .setAttribute("parley.ai.source", source).setAttribute("parley.ai.targets", String.join(",", targets))
      .setAttribute("parley.ai.characters", (long) text.length()).startSpan();
    Future<Map<String, String>> call;
    try (Scope ignored = on.trace().with(span).makeCurrent()) {
      call = translator.translate(text, source, targets);
    }
    return call
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        if (ar.failed()) {
          span.setStatus(StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
        }
        span.end();
      })
      .map(result -> {
        metrics.aiRequest("translation", translator.provider(), "success", Duration.ofNanos(System.nanoTime() - started));
        JsonObject translations = new JsonObject();
        for (Map.Entry<String, String> e : result.entrySet()) {
          if (!e.getKey().equals(source)) {
            translations.put(e.getKey(), e.getValue());
          }
        }
        if (!translations.isEmpty()) {
          usage.record(tenant, meetingId, "translation", translator.provider(),
            (double) text.length() * translations.size(), "characters");
        }
        return caption.put("translations", translations);
      })
      .recover(err -> {
        boolean timeout = err instanceof TimeoutException
          || String.valueOf(err.getMessage()).toLowerCase().contains("timeout");
        metrics.aiRequest("translation", translator.provider(), timeout ? "timeout" : "error",
          Duration.ofNanos(System.nanoTime() - started));
        LOG.debug("Caption of meeting {} goes out untranslated: {}", meetingId, err.getMessage());
        return Future.succeededFuture(caption);
      });
  }
}

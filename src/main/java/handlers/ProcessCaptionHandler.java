package handlers;

import ai.ContentSafety;
import ai.Translator;
import ai.safety.ModerationPolicy;
import ai.safety.SafetyReport;
import common.Addresses;
import data.PresenceStore;
import data.TranscriptRepository;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import telemetry.ParleyMetrics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley.ai.caption}: a recognised segment becomes a caption. Partials get the built-in
 * (cheap, local) PII check and go out at once; finals go through the configured safety provider
 * and the tenant policy, are translated into every language chosen in the meeting and the tenant's
 * defaults, published on {@code meeting.{id}.captions}, stored in the transcript and metered.
 *
 * <p>A translation failure or timeout never holds captions back: the caption goes out with the
 * translations that arrived (possibly none), and the failure is counted. If the safety provider
 * fails, the built-in detector decides instead.
 */
public final class ProcessCaptionHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCaptionHandler.class);

  private final EventBus eventBus;
  private final ContentSafety safety;
  private final ContentSafety builtInSafety;
  private final Translator translator;
  private final TenantPolicies policies;
  private final PresenceStore presence;
  private final TranscriptRepository transcripts;
  private final ParleyMetrics metrics;
  private final long translationTimeoutMs;
  private final io.opentelemetry.api.trace.Tracer tracer;

  public ProcessCaptionHandler(EventBus eventBus, ContentSafety safety, ContentSafety builtInSafety, Translator translator,
                               TenantPolicies policies, PresenceStore presence, TranscriptRepository transcripts,
                               ParleyMetrics metrics, long translationTimeoutMs, io.opentelemetry.api.OpenTelemetry openTelemetry) {
    this.tracer = (openTelemetry == null ? io.opentelemetry.api.OpenTelemetry.noop() : openTelemetry).getTracer("parley.ai");
    this.eventBus = eventBus;
    this.safety = safety;
    this.builtInSafety = builtInSafety;
    this.translator = translator;
    this.policies = policies;
    this.presence = presence;
    this.transcripts = transcripts;
    this.metrics = metrics;
    this.translationTimeoutMs = translationTimeoutMs;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject in = message.body();
    String tenant = in.getString("tenant");
    UUID meetingId = UUID.fromString(in.getString("meetingId"));
    boolean isFinal = in.getBoolean("final", false);
    String text = in.getString("text", "");
    // Continuations return to this message's context so that its trace covers the provider calls
    // and the transcript insert (client futures otherwise complete on the client's own context).
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
    onContext(context, trace, policies.config(tenant))
      .compose(config -> policies.policy(tenant).compose(policy -> check(isFinal, tenant, text, policy))
        .compose(decision -> {
          JsonObject caption = new JsonObject()
            .put("segmentId", in.getString("segmentId"))
            .put("final", isFinal)
            .put("speakerId", in.getString("speakerId"))
            .put("speakerName", in.getString("speakerName"))
            .put("lang", in.getString("lang"))
            .put("text", "block".equals(decision.getString("action")) ? "" : decision.getString("text", text))
            .put("translations", new JsonObject())
            .put("startMs", in.getLong("startMs"))
            .put("endMs", in.getLong("endMs"))
            .put("redacted", !"allow".equals(decision.getString("action")));
          if (!isFinal || caption.getString("text").isBlank()) {
            return Future.succeededFuture(caption);
          }
          return onContext(context, trace, translate(tenant, meetingId, caption, config.getJsonArray("languages", new JsonArray()), context, trace));
        }))
      .onSuccess(caption -> {
        eventBus.publish(Addresses.meetingCaptions(meetingId), caption);
        metrics.captionLatency(isFinal ? "final" : "partial",
          Duration.ofMillis(Math.max(0, System.currentTimeMillis() - in.getLong("audioReceivedAtMs", System.currentTimeMillis()))));
        // A blocked final is published empty (clients drop the partial it replaces) and never stored.
        if (isFinal && !caption.getString("text").isBlank()) {
          transcripts.save(tenant, meetingId, caption)
            .onFailure(err -> LOG.warn("Could not store a caption of meeting {}: {}", meetingId, err.getMessage()));
        }
      })
      .onFailure(err -> LOG.warn("Caption of meeting {} dropped: {}", meetingId, err.getMessage()));
  }

  /** Completes on {@code context} with {@code trace} current, so what follows is in the caption's trace. */
  private static <T> Future<T> onContext(io.vertx.core.Context context, io.opentelemetry.context.Context trace, Future<T> future) {
    if (context == null) {
      return future;
    }
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> {
      try (io.opentelemetry.context.Scope ignored = trace.makeCurrent()) {
        promise.handle(ar);
      }
    }));
    return promise.future();
  }

  private Future<JsonObject> check(boolean isFinal, String tenant, String text, ModerationPolicy policy) {
    if (text.isBlank()) {
      return Future.succeededFuture(new JsonObject().put("action", "allow").put("text", text));
    }
    ContentSafety provider = isFinal ? safety : builtInSafety;
    long started = System.nanoTime();
    Future<SafetyReport> report = provider.analyze(text).onComplete(ar -> {
      if (isFinal) {
        metrics.aiRequest("safety", provider.provider(), ar.succeeded() ? "success" : "error",
          Duration.ofNanos(System.nanoTime() - started));
      }
    });
    if (isFinal && provider != builtInSafety) {
      report = report.recover(err -> {
        LOG.warn("Safety provider {} failed; the built-in detector decides: {}", provider.provider(), err.getMessage());
        return builtInSafety.analyze(text);
      });
    }
    return report.map(r -> {
      JsonObject decision = policy.decide(text, r).toJson();
      if (isFinal) {
        CountModeration.count(metrics, decision);
        eventBus.send(Addresses.AI_USAGE, new JsonObject().put("tenant", tenant).put("service", "safety")
          .put("provider", provider.provider()).put("units", 1).put("unit", "checks"));
      }
      return decision;
    });
  }

  private Future<JsonObject> translate(String tenant, UUID meetingId, JsonObject caption, JsonArray tenantLanguages,
                                       io.vertx.core.Context context, io.opentelemetry.context.Context trace) {
    String source = caption.getString("lang");
    return onContext(context, trace, presence.captionLanguages(tenant, meetingId).otherwise(java.util.List.of()))
      .compose(chosen -> {
      TreeSet<String> targets = new TreeSet<>(chosen);
      tenantLanguages.forEach(l -> targets.add(String.valueOf(l)));
      targets.remove(source);
      if (targets.isEmpty()) {
        return Future.succeededFuture(caption);
      }
      String text = caption.getString("text");
      long started = System.nanoTime();
      // The provider call as a span of the caption's trace, whatever context the provider's client
      // continues on; its own HTTP span (when it propagates) hangs under this one.
      io.opentelemetry.api.trace.Span span = tracer.spanBuilder("translate " + translator.provider())
        .setParent(trace).setSpanKind(io.opentelemetry.api.trace.SpanKind.CLIENT)
        .setAttribute("parley.ai.service", "translation").setAttribute("parley.ai.provider", translator.provider())
        .setAttribute("parley.ai.source", source).setAttribute("parley.ai.targets", String.join(",", targets))
        .setAttribute("parley.ai.characters", (long) text.length()).startSpan();
      Future<Map<String, String>> call;
      try (io.opentelemetry.context.Scope ignored = trace.with(span).makeCurrent()) {
        call = translator.translate(text, source, targets);
      }
      return call
        .timeout(translationTimeoutMs, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.failed()) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(ar.cause().getMessage()));
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
            eventBus.send(Addresses.AI_USAGE, new JsonObject().put("tenant", tenant).put("meetingId", meetingId.toString())
              .put("service", "translation").put("provider", translator.provider())
              .put("units", (double) text.length() * translations.size()).put("unit", "characters"));
          }
          return caption.put("translations", translations);
        })
        .recover(err -> {
          boolean timeout = err instanceof java.util.concurrent.TimeoutException
            || String.valueOf(err.getMessage()).toLowerCase().contains("timeout");
          metrics.aiRequest("translation", translator.provider(), timeout ? "timeout" : "error",
            Duration.ofNanos(System.nanoTime() - started));
          LOG.debug("Caption of meeting {} goes out untranslated: {}", meetingId, err.getMessage());
          return Future.succeededFuture(caption);
        });
    });
  }
}

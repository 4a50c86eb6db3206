package handlers.captions;

import ai.Translator;
import common.Addresses;
import data.MeetingRepository;
import data.PresenceStore;
import data.TranscriptRepository;
import handlers.AiBudget;
import handlers.AiUsage;
import handlers.Moderator;
import ai.stt.Punctuator;
import handlers.tenant.TenantPolicies;
import io.opentelemetry.api.OpenTelemetry;
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
import java.util.UUID;

/**
 * {@code parley.ai.caption}: a recognised segment becomes a caption. Partials are screened by the
 * built-in (cheap, local) detector and go out at once; finals are made readable when the recogniser
 * gives bare words ({@link Punctuator}: sentence case, end punctuation, the meeting's participants'
 * names), moderated like chat (with the built-in detector deciding if the provider fails),
 * translated ({@link TranslateCaption}), published on {@code meeting.{id}.captions} and stored in
 * the transcript.
 */
public final class ProcessCaptionHandler implements Handler<Message<JsonObject>> {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessCaptionHandler.class);

  private final EventBus eventBus;
  private final Moderator moderator;
  private final TranslateCaption translation;
  private final TenantPolicies policies;
  private final TranscriptRepository transcripts;
  private final ParleyMetrics metrics;
  private final ReadableCaption readable;

  public ProcessCaptionHandler(EventBus eventBus, Moderator moderator, Translator translator, TenantPolicies policies,
                               PresenceStore presence, TranscriptRepository transcripts, ParleyMetrics metrics,
                               long translationTimeoutMs, OpenTelemetry openTelemetry, MeetingRepository meetings,
                               long sentencePauseMs, AiBudget budget) {
    this.readable = new ReadableCaption(meetings, new Punctuator(sentencePauseMs));
    this.eventBus = eventBus;
    this.moderator = moderator;
    this.policies = policies;
    this.transcripts = transcripts;
    this.metrics = metrics;
    this.translation = new TranslateCaption(translator, presence, metrics, new AiUsage(eventBus), translationTimeoutMs,
      (openTelemetry == null ? OpenTelemetry.noop() : openTelemetry).getTracer("parley.ai"), budget);
  }

  @Override
  public void handle(Message<JsonObject> message) {
    JsonObject in = message.body();
    String tenant = in.getString("tenant");
    UUID meetingId = UUID.fromString(in.getString("meetingId"));
    boolean isFinal = in.getBoolean("final", false);
    String recognised = in.getString("text", "");
    CaptionContext on = CaptionContext.current();
    on.resume(policies.config(tenant))
      .compose(config -> (isFinal ? on.resume(readable.apply(tenant, meetingId, in)) : Future.succeededFuture(recognised))
        .compose(text -> isFinal ? moderator.moderate(tenant, text, Moderator.OnFailure.BUILT_IN) : moderator.screen(tenant, text))
        .compose(decision -> {
          JsonObject caption = caption(in, isFinal, decision);
          if (!isFinal || caption.getString("text").isBlank()) {
            return Future.succeededFuture(caption);
          }
          return on.resume(translation.translate(tenant, meetingId, caption, config.getJsonArray("languages", new JsonArray()), on));
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

  private static JsonObject caption(JsonObject in, boolean isFinal, JsonObject decision) {
    String action = decision.getString("action");
    return new JsonObject()
      .put("segmentId", in.getString("segmentId"))
      .put("final", isFinal)
      .put("speakerId", in.getString("speakerId"))
      .put("speakerName", in.getString("speakerName"))
      .put("lang", in.getString("lang"))
      .put("text", "block".equals(action) ? "" : decision.getString("text"))
      .put("translations", new JsonObject())
      .put("startMs", in.getLong("startMs"))
      .put("endMs", in.getLong("endMs"))
      .put("redacted", !"allow".equals(action));
  }
}

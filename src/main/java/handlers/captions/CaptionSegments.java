package handlers.captions;

import ai.stt.Segment;
import common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.FrameTracing;

import java.util.UUID;

/**
 * Sends a recognised segment of one speaker to the AI bridge ({@code parley.ai.caption}: safety,
 * translation, publication, transcript), in one trace per caption continued from {@code trace}
 * (the client's, when there is one): for {@code /ws/audio} and for the SFU's forwarded audio alike.
 */
final class CaptionSegments {

  private final EventBus eventBus;
  private final FrameTracing tracing;

  CaptionSegments(EventBus eventBus, FrameTracing tracing) {
    this.eventBus = eventBus;
    this.tracing = tracing;
  }

  /** {@code punctuated}: whether the recogniser that made {@code s} punctuates (else the AI bridge makes it readable from the words). */
  void post(Identity speaker, UUID meetingId, String segmentId, boolean isFinal, String lang, Segment s, boolean punctuated,
            JsonObject clientTrace) {
    long ageMs = Math.max(0, (System.nanoTime() - s.audioReceivedAtNanos()) / 1_000_000);
    JsonObject trace = clientTrace.copy();
    tracing.record("caption " + (isFinal ? "final" : "partial"), Addresses.AI_CAPTION, speaker, trace);
    DeliveryOptions traced = new DeliveryOptions();
    trace.forEach(h -> traced.addHeader(h.getKey(), String.valueOf(h.getValue())));
    eventBus.send(Addresses.AI_CAPTION, new JsonObject()
      .put("meetingId", meetingId.toString())
      .put("segmentId", segmentId)
      .put("final", isFinal)
      .put("speakerId", speaker.userId())
      .put("speakerName", speaker.name())
      .put("tenant", speaker.tenant())
      .put("lang", lang)
      .put("text", s.text())
      .put("punctuated", punctuated)
      .put("words", words(s))
      .put("startMs", s.startMs())
      .put("endMs", s.endMs())
      .put("audioReceivedAtMs", System.currentTimeMillis() - ageMs), traced);
  }

  private static io.vertx.core.json.JsonArray words(Segment s) {
    io.vertx.core.json.JsonArray out = new io.vertx.core.json.JsonArray();
    s.words().forEach(w -> out.add(new io.vertx.core.json.JsonArray().add(w.text()).add(w.startMs()).add(w.endMs())));
    return out;
  }
}

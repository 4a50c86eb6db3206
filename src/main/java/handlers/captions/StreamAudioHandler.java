package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import common.Addresses;
import common.Languages;
import common.ParleyException;
import handlers.AiUsage;
import handlers.AuthenticateHandler;
import handlers.Inputs;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;
import telemetry.FrameTracing;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /ws/audio?meetingId=ID&lang=en-US}: a participant's microphone, as PCM S16LE mono 16 kHz
 * binary frames (at most 64 KiB each; larger ones close the socket with 1009), ended by the text
 * frame {@code {"type":"end"}}. Recognition runs on the recogniser's pinned worker thread; each
 * partial and final result goes to the AI bridge ({@code parley.ai.caption}) for safety,
 * translation and publication on {@code meeting.{id}.captions}.
 *
 * <p>Backpressure: when the recogniser is more than {@code ai.stt.maxLagMs} of audio behind, the
 * socket is paused (TCP pushes back on the client) and resumed once it has caught up by half;
 * nothing is dropped and nothing queues without bound.
 *
 * <p>Close codes: 1008 not allowed (no token, not a participant, meeting over, language not
 * supported), 1003 unknown text frame, 1009 frame too large, 1011 recogniser failure.
 */
public final class StreamAudioHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(StreamAudioHandler.class);
  static final int SAMPLE_RATE = 16_000;
  /** The contract's largest audio frame. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private final EventBus eventBus;
  private final AiUsage usage;
  private final SpeechRecognizer recognizer;
  private final long timeoutMs;
  private final FrameTracing tracing;

  public StreamAudioHandler(EventBus eventBus, SpeechRecognizer recognizer, io.opentelemetry.api.OpenTelemetry openTelemetry,
                            long timeoutMs) {
    this.tracing = new FrameTracing(openTelemetry);
    this.eventBus = eventBus;
    this.usage = new AiUsage(eventBus);
    this.recognizer = recognizer;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Identity identity = AuthenticateHandler.identity(ctx);
    String meetingParam = ctx.request().getParam("meetingId");
    String langParam = ctx.request().getParam("lang", "en-US");
    JsonObject clientTrace = FrameTracing.traceHeaders(ctx.request().headers());
    ctx.request().toWebSocket().onSuccess(ws -> {
      if (identity == null) {
        ws.close((short) 1008, "sign in first");
        return;
      }
      UUID meetingId;
      String lang;
      try {
        meetingId = Inputs.meetingId(new JsonObject().put("meetingId", meetingParam));
        lang = Languages.normalise(langParam);
      } catch (ParleyException e) {
        ws.close((short) 1008, e.getMessage());
        return;
      }
      if (!recognizer.isConfiguredProperly()) {
        ws.close((short) 1011, "speech recognition is not available: " + recognizer.configurationProblem());
        return;
      }
      ws.pause();
      DeliveryOptions asCaller = new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(Identity.HEADER, identity.toJson().encode());
      eventBus.<JsonObject>request(Addresses.MEETING_MEMBERSHIP, new JsonObject().put("meetingId", meetingId.toString()), asCaller)
        .onSuccess(reply -> {
          JsonObject m = reply.body();
          if (!m.getBoolean("present", false) || "ended".equals(m.getString("status"))) {
            ws.close((short) 1008, "ended".equals(m.getString("status")) ? "meeting has ended" : "join the meeting first");
            return;
          }
          new AudioSession(ws, identity, meetingId, langParam, lang, clientTrace).start();
        })
        .onFailure(err -> ws.close((short) 1008, err.getMessage() == null ? "not allowed" : err.getMessage()));
    }).onFailure(err -> LOG.debug("Audio upgrade failed: {}", err.getMessage()));
  }

  /** One microphone stream: socket in, recogniser in the middle, caption messages out. */
  private final class AudioSession implements CaptionListener {
    private final ServerWebSocket ws;
    private final Identity speaker;
    private final UUID meetingId;
    private final String requestedLang;
    private final String lang;
    private final String streamId = UUID.randomUUID().toString();
    private final AtomicLong bytes = new AtomicLong();
    private RecognitionStream stream;
    private int finals;
    private boolean done;
    private final JsonObject clientTrace;

    AudioSession(ServerWebSocket ws, Identity speaker, UUID meetingId, String requestedLang, String lang, JsonObject clientTrace) {
      this.clientTrace = clientTrace;
      this.ws = ws;
      this.speaker = speaker;
      this.meetingId = meetingId;
      this.requestedLang = requestedLang;
      this.lang = lang;
    }

    void start() {
      try {
        stream = recognizer.open(new RecognitionRequest(streamId, requestedLang, SAMPLE_RATE), this);
      } catch (ParleyException e) {
        ws.close((short) 1008, e.getMessage());
        return;
      } catch (RuntimeException e) {
        LOG.warn("Could not open a recognition stream: {}", e.toString());
        ws.close((short) 1011, "recogniser failure");
        return;
      }
      stream.drainHandler(v -> ws.resume());
      stream.exceptionHandler(this::onError);
      ws.binaryMessageHandler(this::audio);
      ws.textMessageHandler(this::control);
      ws.closeHandler(v -> closed());
      ws.exceptionHandler(err -> LOG.debug("Audio socket error: {}", err.getMessage()));
      ws.resume();
    }

    private void audio(Buffer pcm) {
      if (done) {
        return;
      }
      if (pcm.length() > MAX_FRAME_BYTES) {
        ws.close((short) 1009, "audio frames are at most 64 KiB");
        return;
      }
      bytes.addAndGet(pcm.length());
      stream.write(pcm);
      if (stream.writeQueueFull()) {
        ws.pause();
      }
    }

    private void control(String text) {
      JsonObject message;
      try {
        message = new JsonObject(text);
      } catch (RuntimeException e) {
        message = null;
      }
      if (message != null && "end".equals(message.getString("type"))) {
        if (!done) {
          stream.end();
        }
        return;
      }
      ws.close((short) 1003, "only binary PCM and {\"type\":\"end\"} are accepted");
    }

    private void closed() {
      if (!done) {
        done = true;
        stream.abort();
      }
      meter();
    }

    @Override
    public void onPartial(Segment s) {
      forward(s, false);
    }

    @Override
    public void onFinal(Segment s) {
      if (!s.text().isBlank()) {
        forward(s, true);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (done) {
        return;
      }
      done = true;
      LOG.warn("Recogniser failed on stream {} of meeting {}: {}", streamId, meetingId, t.toString());
      ws.close((short) 1011, "recogniser failure");
    }

    @Override
    public void onEnd() {
      done = true;
      ws.close((short) 1000, "end of stream");
    }

    private void forward(Segment s, boolean isFinal) {
      long ageMs = Math.max(0, (System.nanoTime() - s.audioReceivedAtNanos()) / 1_000_000);
      String segmentId = streamId + ":" + (isFinal ? finals++ : finals);
      // One trace per caption: the client's (from the socket's upgrade request) continued by a gateway
      // span, carried over the event bus to the AI bridge, its provider calls and the database.
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
        .put("startMs", s.startMs())
        .put("endMs", s.endMs())
        .put("audioReceivedAtMs", System.currentTimeMillis() - ageMs), traced);
    }

    private void meter() {
      double seconds = bytes.get() / (2.0 * SAMPLE_RATE);
      if (seconds > 0) {
        usage.record(speaker.tenant(), meetingId, "stt", recognizer.provider(), seconds, "seconds");
      }
    }
  }
}

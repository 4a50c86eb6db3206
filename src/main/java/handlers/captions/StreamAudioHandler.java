package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import common.Addresses;
import common.Languages;
import common.ParleyException;
import handlers.AiBudget;
import handlers.AiUsage;
import handlers.AuthenticateHandler;
import handlers.Inputs;
import handlers.SocketErrors;
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
 * <p>AI budget: while the tenant's budget is spent with the {@code soft} action, speech goes to the
 * local engine (Vosk) and a stream on a paid provider is closed with 1012 so that the client
 * reconnects onto it; with {@code hard}, streams are refused and closed with 1008.
 *
 * <p>Close codes: 1008 not allowed (no token, not a participant, meeting over, language not
 * supported, AI paused by the budget), 1003 unknown text frame, 1009 frame too large, 1011
 * recogniser failure, 1012 reconnect (moving to the local engine).
 */
public final class StreamAudioHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(StreamAudioHandler.class);
  static final int SAMPLE_RATE = 16_000;
  /** The contract's largest audio frame. */
  public static final int MAX_FRAME_BYTES = 64 * 1024;

  private final EventBus eventBus;
  private final AiUsage usage;
  static final String BUDGET_PAUSED = "AI is paused: this month's AI budget is spent";

  private final SpeechRecognizer recognizer;
  private final SpeechRecognizer local;
  private final AiBudget budget;
  private final long timeoutMs;
  private final CaptionSegments segments;
  /** Open sessions, touched only on this handler's event loop (the sockets' and the budget consumer's). */
  private final java.util.Set<AudioSession> sessions = new java.util.HashSet<>();
  /** Audio sockets of this gateway instance (confined to its event loop), for {@link #closeAll}. */
  private final java.util.Set<ServerWebSocket> open = new java.util.HashSet<>();

  /**
   * @param local the local engine (Vosk) for when the budget is spent: {@code recognizer} itself when
   *              that is local, null when none could be loaded
   */
  public StreamAudioHandler(EventBus eventBus, SpeechRecognizer recognizer, SpeechRecognizer local, AiBudget budget,
                            io.opentelemetry.api.OpenTelemetry openTelemetry, long timeoutMs) {
    this.segments = new CaptionSegments(eventBus, new FrameTracing(openTelemetry));
    this.eventBus = eventBus;
    this.usage = new AiUsage(eventBus);
    this.recognizer = recognizer;
    this.local = local;
    this.budget = budget;
    this.timeoutMs = timeoutMs;
  }

  /**
   * {@code parley.ai.budget}: a tenant's budget changed level. With AI paused its streams close (1008);
   * with speech kept to the local engine, those on a paid provider close with 1012 (clients reconnect).
   */
  public void budgetChanged(JsonObject event) {
    AiBudget.Status status = new AiBudget.Status(event.getString("level"), event.getString("action", "soft"));
    for (AudioSession session : java.util.List.copyOf(sessions)) {
      if (!session.speaker.tenant().equals(event.getString("tenant"))) {
        continue;
      }
      if (status.aiPaused()) {
        session.ws.close((short) 1008, BUDGET_PAUSED);
      } else if (status.localRecognitionOnly() && session.engine != local) {
        session.ws.close((short) 1012, "moving to the local speech engine: the AI budget is spent");
      }
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    Identity identity = AuthenticateHandler.identity(ctx);
    String meetingParam = ctx.request().getParam("meetingId");
    String langParam = ctx.request().getParam("lang", "en-US");
    JsonObject clientTrace = FrameTracing.traceHeaders(ctx.request().headers());
    ctx.request().toWebSocket().onSuccess(ws -> {
      open.removeIf(ServerWebSocket::isClosed);
      open.add(ws);
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
      ws.pause();
      // Until the session starts (membership is checked first), a frame too large is refused all the same.
      ws.exceptionHandler(err -> tooLargeOrGone(ws, meetingId, err));
      DeliveryOptions asCaller = new DeliveryOptions().setSendTimeout(timeoutMs).addHeader(Identity.HEADER, identity.toJson().encode());
      eventBus.<JsonObject>request(Addresses.MEETING_MEMBERSHIP, new JsonObject().put("meetingId", meetingId.toString()), asCaller)
        .onSuccess(reply -> {
          JsonObject m = reply.body();
          if (!m.getBoolean("present", false) || "ended".equals(m.getString("status"))) {
            ws.close((short) 1008, "ended".equals(m.getString("status")) ? "meeting has ended" : "join the meeting first");
            return;
          }
          budget.status(identity.tenant()).onComplete(st -> {
            SpeechRecognizer engine = engine(st.result());
            if (engine == null) {
              ws.close((short) 1008, BUDGET_PAUSED);
            } else if (!engine.isConfiguredProperly()) {
              ws.close((short) 1011, "speech recognition is not available: " + engine.configurationProblem());
            } else {
              new AudioSession(ws, identity, meetingId, langParam, lang, clientTrace, engine).start();
            }
          });
        })
        .onFailure(err -> ws.close((short) 1008, err.getMessage() == null ? "not allowed" : err.getMessage()));
    }).onFailure(err -> LOG.debug("Audio upgrade failed: {}", err.getMessage()));
  }

  /** The recogniser for a new stream under the tenant's budget; null when none may run. */
  private SpeechRecognizer engine(AiBudget.Status status) {
    if (status.aiPaused()) {
      return null;
    }
    if (status.localRecognitionOnly() && recognizer != local) {
      return local;
    }
    return recognizer;
  }

  /** Closes every audio socket of this gateway instance (1001 "going away" at shutdown: the client reconnects). */
  public void closeAll(short code, String reason) {
    for (ServerWebSocket ws : java.util.List.copyOf(open)) {
      if (!ws.isClosed()) {
        ws.close(code, reason);
      }
    }
    open.clear();
  }

  /** A frame over the transport's limit is closed with 1009 (never left hanging); one log line, no stack trace. */
  private static void tooLargeOrGone(ServerWebSocket ws, UUID meetingId, Throwable err) {
    if (SocketErrors.tooLarge(err)) {
      LOG.info("Audio socket of meeting {} closed with 1009: {}", meetingId, err.getMessage());
      ws.close(SocketErrors.TOO_LARGE, "audio frames are at most 64 KiB");
    } else if (!SocketErrors.connectionClosed(err)) {
      LOG.info("Audio socket of meeting {} failed: {}", meetingId, err.getMessage());
      ws.close();
    }
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
    private final SpeechRecognizer engine;

    AudioSession(ServerWebSocket ws, Identity speaker, UUID meetingId, String requestedLang, String lang, JsonObject clientTrace,
                 SpeechRecognizer engine) {
      this.engine = engine;
      this.clientTrace = clientTrace;
      this.ws = ws;
      this.speaker = speaker;
      this.meetingId = meetingId;
      this.requestedLang = requestedLang;
      this.lang = lang;
    }

    void start() {
      if (ws.isClosed()) {
        return; // gone while its membership was checked (an oversized first frame, a closed tab): nothing to open
      }
      try {
        stream = engine.open(new RecognitionRequest(streamId, requestedLang, SAMPLE_RATE), this);
      } catch (ParleyException e) {
        ws.close((short) 1008, e.getMessage());
        return;
      } catch (RuntimeException e) {
        LOG.warn("Could not open a recognition stream: {}", e.toString());
        ws.close((short) 1011, "recogniser failure");
        return;
      }
      sessions.add(this);
      stream.drainHandler(v -> ws.resume());
      stream.exceptionHandler(this::onError);
      ws.binaryMessageHandler(this::audio);
      ws.textMessageHandler(this::control);
      ws.closeHandler(v -> closed());
      ws.exceptionHandler(err -> tooLargeOrGone(ws, meetingId, err));
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
      sessions.remove(this);
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
      String segmentId = streamId + ":" + (isFinal ? finals++ : finals);
      // One trace per caption: the client's (from the socket's upgrade request) continued by a gateway
      // span, carried over the event bus to the AI bridge, its provider calls and the database.
      segments.post(speaker, meetingId, segmentId, isFinal, lang, s, engine.punctuates(), clientTrace);
    }

    private void meter() {
      double seconds = bytes.get() / (2.0 * SAMPLE_RATE);
      if (seconds > 0) {
        usage.record(speaker.tenant(), meetingId, "stt", engine.provider(), seconds, "seconds");
      }
    }
  }
}

package ai.stt;

import ai.SpeechRecognizer;
import com.microsoft.cognitiveservices.speech.SpeechConfig;
import com.microsoft.cognitiveservices.speech.audio.AudioConfig;
import com.microsoft.cognitiveservices.speech.audio.AudioInputStream;
import com.microsoft.cognitiveservices.speech.audio.AudioStreamFormat;
import com.microsoft.cognitiveservices.speech.audio.PushAudioInputStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Azure AI Speech through its SDK: a push audio stream and continuous recognition per speaker.
 * The SDK's blocking calls run on the stream's pinned worker thread; its events are mapped by
 * {@link AzureSpeechEvents} and delivered on the opening context. The SDK's native library is
 * loaded only when this provider is chosen. (Azure's cloud cannot be reached from where Parley is
 * built and tested: the event mapping and the configuration checks are tested, this class is not.)
 */
public final class AzureSpeechRecognizer implements SpeechRecognizer {

  private final String key;
  private final String region;
  private final String endpoint;
  private final String problem;
  private final PinnedWorkers workers;
  private final long maxLagMs;

  public AzureSpeechRecognizer(JsonObject stt) {
    JsonObject azure = stt.getJsonObject("azure", new JsonObject());
    this.key = azure.getString("key");
    this.region = azure.getString("region");
    this.endpoint = azure.getString("endpoint");
    this.problem = AzureSpeechEvents.configurationProblem(key, region, endpoint);
    this.workers = new PinnedWorkers("parley-stt-azure", stt.getInteger("workers", 2));
    this.maxLagMs = stt.getLong("maxLagMs", 2000L);
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public boolean supportsStreamRecognition() {
    return true;
  }

  @Override
  public boolean isConfiguredProperly() {
    return problem == null;
  }

  @Override
  public String configurationProblem() {
    return problem;
  }

  /** Azure recognises far more than the catalogue; what it offers here is the catalogue. */
  @Override
  public java.util.Set<String> languages() {
    return common.Languages.catalogue();
  }

  /** Its display text has sentence case and punctuation. */
  @Override
  public boolean punctuates() {
    return true;
  }

  @Override
  public RecognitionStream open(RecognitionRequest request, CaptionListener listener) {
    if (problem != null) {
      throw AzureSpeechEvents.unavailable(problem);
    }
    return new AzureStream(request, listener, Vertx.currentContext());
  }

  @Override
  public void close() {
    workers.shutdown();
  }

  private final class AzureStream implements RecognitionStream {
    private final Context context;
    private final CaptionListener listener;
    private final int worker;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxQueueBytes;
    private final long bytesPerMs;
    private volatile boolean stopped;
    private volatile long newestReceivedNanos;
    private Handler<Void> drainHandler;
    private boolean drainPending;
    private PushAudioInputStream push;
    private com.microsoft.cognitiveservices.speech.SpeechRecognizer recognizer;

    AzureStream(RecognitionRequest request, CaptionListener listener, Context context) {
      this.context = context;
      this.listener = listener;
      this.bytesPerMs = request.sampleRateHz() * 2L / 1000;
      this.maxQueueBytes = maxLagMs * bytesPerMs;
      this.worker = workers.acquire();
      submit(() -> {
        SpeechConfig config = endpoint != null ? SpeechConfig.fromEndpoint(URI.create(endpoint), key)
          : SpeechConfig.fromSubscription(key, region);
        config.setSpeechRecognitionLanguage(request.language());
        push = AudioInputStream.createPushStream(AudioStreamFormat.getWaveFormatPCM(request.sampleRateHz(), (short) 16, (short) 1));
        recognizer = new com.microsoft.cognitiveservices.speech.SpeechRecognizer(config, AudioConfig.fromStreamInput(push));
        recognizer.recognizing.addEventListener((s, e) -> deliver(AzureSpeechEvents.recognizing(e.getResult().getText(),
          e.getResult().getOffset().longValue(), e.getResult().getDuration().longValue(), newestReceivedNanos)));
        recognizer.recognized.addEventListener((s, e) -> deliver(AzureSpeechEvents.recognized(e.getResult().getReason().name(),
          e.getResult().getText(), e.getResult().getOffset().longValue(), e.getResult().getDuration().longValue(), newestReceivedNanos)));
        recognizer.canceled.addEventListener((s, e) -> deliver(AzureSpeechEvents.canceled(e.getReason().name(),
          e.getErrorCode() == null ? null : e.getErrorCode().name(), e.getErrorDetails())));
        recognizer.sessionStopped.addEventListener((s, e) -> deliver(AzureSpeechEvents.sessionStopped()));
        recognizer.startContinuousRecognitionAsync().get();
      });
    }

    private void deliver(AzureSpeechEvents.Mapped m) {
      context.runOnContext(v -> {
        if (stopped) {
          return;
        }
        switch (m.kind()) {
          case PARTIAL -> listener.onPartial(m.segment());
          case FINAL -> listener.onFinal(m.segment());
          case ERROR -> {
            stopped = true;
            listener.onError(new IllegalStateException(m.error()));
          }
          case END -> {
            stopped = true;
            listener.onEnd();
          }
          default -> { }
        }
      });
    }

    private void submit(ThrowingTask task) {
      workers.thread(worker).execute(() -> {
        try {
          task.run();
        } catch (Exception e) {
          deliver(new AzureSpeechEvents.Mapped(AzureSpeechEvents.Kind.ERROR, null, "azure speech: " + e.getMessage()));
        }
      });
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (stopped) {
        return Future.failedFuture("recognition stream is closed");
      }
      byte[] bytes = data.getBytes();
      newestReceivedNanos = System.nanoTime();
      queuedBytes.addAndGet(bytes.length);
      submit(() -> {
        push.write(bytes);
        if (queuedBytes.addAndGet(-bytes.length) < maxQueueBytes / 2) {
          context.runOnContext(v -> {
            if (drainPending && drainHandler != null) {
              drainPending = false;
              drainHandler.handle(null);
            }
          });
        }
      });
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      submit(() -> {
        push.close();
        recognizer.stopContinuousRecognitionAsync().get();
        close();
      });
      return Future.succeededFuture();
    }

    @Override
    public void abort() {
      stopped = true;
      submit(this::close);
    }

    private void close() {
      if (recognizer != null) {
        recognizer.close();
        recognizer = null;
      }
      workers.release(worker);
    }

    @Override
    public long backlogMillis() {
      return queuedBytes.get() / bytesPerMs;
    }

    @Override
    public RecognitionStream exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public RecognitionStream setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      boolean full = queuedBytes.get() >= maxQueueBytes;
      drainPending |= full;
      return full;
    }

    @Override
    public RecognitionStream drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      return this;
    }
  }

  @FunctionalInterface
  private interface ThrowingTask {
    void run() throws Exception;
  }
}

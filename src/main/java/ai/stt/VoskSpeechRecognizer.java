package ai.stt;

import ai.SpeechRecognizer;
import common.Languages;
import common.ParleyException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vosk (Kaldi) speech recognition through JNA, fully local. The model is loaded once and shared;
 * each stream has its own recogniser on a pinned worker thread. Partial results are emitted when
 * their text changes; finals carry start and end times from the word timings.
 */
public final class VoskSpeechRecognizer implements SpeechRecognizer {

  private static final Logger LOG = LoggerFactory.getLogger(VoskSpeechRecognizer.class);
  private static final int BYTES_PER_MS = 32; // 16 kHz x 2 bytes

  private final Model model;
  /** Set by {@link #close()}: queued audio is dropped and no new recogniser is made. */
  private volatile boolean closed;
  private final String language;
  private final PinnedWorkers workers;
  private final long maxLagMs;
  private final long partialEveryMs;

  private VoskSpeechRecognizer(Model model, String language, int workers, long maxLagMs, long partialEveryMs) {
    this.model = model;
    this.language = language;
    this.workers = new PinnedWorkers("parley-stt", workers);
    this.maxLagMs = maxLagMs;
    this.partialEveryMs = partialEveryMs;
  }

  /**
   * Loads the model (from {@code vosk.modelPath}, else the English model shipped in the jar,
   * unpacked into {@code dataDir}) on a worker thread.
   */
  public static Future<SpeechRecognizer> create(Vertx vertx, JsonObject stt, Path dataDir) {
    JsonObject vosk = stt.getJsonObject("vosk", new JsonObject());
    String modelPath = vosk.getString("modelPath");
    String language = vosk.getString("language") == null ? "en" : Languages.normalise(vosk.getString("language"));
    int workers = stt.getInteger("workers", Math.max(1, Runtime.getRuntime().availableProcessors()));
    long maxLagMs = stt.getLong("maxLagMs", 2000L);
    long partialEveryMs = Math.max(0L, stt.getLong("partialEveryMs", 100L));
    return vertx.executeBlocking(() -> {
      LibVosk.vosk_set_log_level(-1);
      Path path = modelPath != null ? Path.of(modelPath) : VoskModels.unpackEnglish(dataDir);
      long started = System.nanoTime();
      Model model = new Model(path.toString());
      LOG.info("Vosk model {} loaded in {} ms", path, (System.nanoTime() - started) / 1_000_000);
      return (SpeechRecognizer) new VoskSpeechRecognizer(model, language, workers, maxLagMs, partialEveryMs);
    }, false);
  }

  @Override
  public String provider() {
    return "vosk";
  }

  @Override
  public boolean supportsStreamRecognition() {
    return true;
  }

  @Override
  public boolean isConfiguredProperly() {
    return true;
  }

  @Override
  public String configurationProblem() {
    return null;
  }

  @Override
  public java.util.Set<String> languages() {
    return java.util.Set.of(language);
  }

  /** The small English model has no punctuation model: its words come bare and lower-case. */
  @Override
  public boolean punctuates() {
    return false;
  }

  /** Streams holding a worker slot now. */
  int activeStreams() {
    return workers.totalLoad();
  }

  @Override
  public RecognitionStream open(RecognitionRequest request, CaptionListener listener) {
    String requested = Languages.normalise(request.language());
    if (!requested.equals(language)) {
      throw ParleyException.badRequest("language '" + request.language() + "' is not recognised here; supported: " + language);
    }
    return new VoskStream(request, listener, Vertx.currentContext());
  }

  /**
   * Stops the workers, then frees the model. Audio still queued is dropped (each stream's next task sees
   * {@code closed} and fails the stream instead of making a recogniser), and the model is freed only once no worker can touch it:
   * a recogniser made from a freed model crashes the whole JVM (seen under load, when the queue took
   * longer to drain than the wait). Workers still busy after the wait keep the model until exit.
   */
  @Override
  public void close() {
    closed = true;
    if (workers.shutdown()) {
      model.close();
    } else {
      LOG.warn("Vosk workers were still busy when the recogniser closed; its model stays loaded until the process exits");
    }
  }

  /** One speaker's recogniser, confined to its pinned worker thread. */
  private final class VoskStream implements RecognitionStream {
    private final RecognitionRequest request;
    private final CaptionListener listener;
    private final Context context;
    private final int worker;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final int bytesPerMs;
    private volatile boolean stopped;
    private Handler<Void> drainHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean drainPending;
    private Integer carry;
    private boolean ended;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    private long maxQueueBytes;
    // Worker-thread state:
    private Recognizer recognizer;
    private long processedBytes;
    private long lastFinalEndMs;
    private String lastPartial = "";
    /** {@link #processedBytes} when the recogniser was last asked for a partial result. */
    private long partialAtBytes;
    private long newestReceivedNanos;

    VoskStream(RecognitionRequest request, CaptionListener listener, Context context) {
      this.request = request;
      this.listener = listener;
      this.context = context;
      this.worker = workers.acquire();
      this.bytesPerMs = request.sampleRateHz() * 2 / 1000;
      this.maxQueueBytes = maxLagMs * bytesPerMs;
    }

    @Override
    public RecognitionStream exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (stopped || ended) {
        return Future.failedFuture("recognition stream is closed");
      }
      byte[] bytes = data.getBytes();
      if (carry != null) {
        byte[] joined = new byte[bytes.length + 1];
        joined[0] = (byte) (int) carry;
        System.arraycopy(bytes, 0, joined, 1, bytes.length);
        bytes = joined;
        carry = null;
      }
      if (bytes.length % 2 == 1) {
        carry = (int) bytes[bytes.length - 1];
        byte[] even = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, even, 0, even.length);
        bytes = even;
      }
      if (bytes.length == 0) {
        return Future.succeededFuture();
      }
      byte[] chunk = bytes;
      long receivedAt = System.nanoTime();
      queuedBytes.addAndGet(chunk.length);
      submit(() -> accept(chunk, receivedAt));
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      if (ended || stopped) {
        return Future.succeededFuture();
      }
      ended = true;
      submit(this::finish);
      return Future.succeededFuture();
    }

    @Override
    public RecognitionStream setWriteQueueMaxSize(int maxSize) {
      this.maxQueueBytes = maxSize;
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      boolean full = queuedBytes.get() >= maxQueueBytes;
      if (full) {
        drainPending = true;
      }
      return full;
    }

    @Override
    public RecognitionStream drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      return this;
    }

    @Override
    public long backlogMillis() {
      return queuedBytes.get() / bytesPerMs;
    }

    @Override
    public void abort() {
      if (stopped) {
        return;
      }
      stopped = true;
      submit(this::release);
    }

    private void submit(Runnable task) {
      try {
        workers.thread(worker).execute(() -> {
          try {
            task.run();
          } catch (Throwable t) {
            fail(t);
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        fail(e);
      }
    }

    // --- on the pinned worker thread ---

    private Recognizer recognizer() throws java.io.IOException {
      if (recognizer == null) {
        recognizer = new Recognizer(model, request.sampleRateHz());
        recognizer.setWords(true);
      }
      return recognizer;
    }

    private void accept(byte[] chunk, long receivedAt) {
      long left = queuedBytes.addAndGet(-chunk.length);
      if (stopped) {
        return;
      }
      if (closed) {
        fail(new java.io.IOException("the recogniser is closing"));
        return;
      }
      newestReceivedNanos = receivedAt;
      try {
        Recognizer rec = recognizer();
        processedBytes += chunk.length;
        if (rec.acceptWaveForm(chunk, chunk.length)) {
          emitFinal(rec.getResult());
          partialAtBytes = processedBytes;
        } else if (partialDue(left)) {
          partialAtBytes = processedBytes;
          String partial = new JsonObject(rec.getPartialResult()).getString("partial", "");
          if (!partial.isBlank() && !partial.equals(lastPartial)) {
            lastPartial = partial;
            Segment s = new Segment(partial, lastFinalEndMs, processedBytes / bytesPerMs, receivedAt);
            context.runOnContext(v -> {
              if (!stopped) {
                listener.onPartial(s);
              }
            });
          }
        }
      } catch (java.io.IOException e) {
        fail(e);
        return;
      }
      if (left < maxQueueBytes / 2) {
        context.runOnContext(v -> {
          if (drainPending && queuedBytes.get() < maxQueueBytes / 2) {
            drainPending = false;
            Handler<Void> h = drainHandler;
            if (h != null) {
              h.handle(null);
            }
          }
        });
      }
    }

    /**
     * A partial result costs Vosk more than the audio it follows when the chunks are short (20 ms
     * of Opus from the SFU: fifty a second): ask for one after {@code partialEveryMs} of audio, and
     * while chunks are waiting behind this one only after four times that, so that a stream behind
     * catches up instead of computing partials nobody will see in time.
     */
    private boolean partialDue(long queuedBehind) {
      long sinceMs = (processedBytes - partialAtBytes) / bytesPerMs;
      return sinceMs >= partialEveryMs && (queuedBehind == 0 || sinceMs >= 4 * partialEveryMs);
    }

    private void emitFinal(String json) {
      JsonObject result = new JsonObject(json);
      String text = result.getString("text", "").trim();
      lastPartial = "";
      if (text.isEmpty()) {
        return;
      }
      JsonArray words = result.getJsonArray("result");
      long start = lastFinalEndMs;
      long end = processedBytes / bytesPerMs;
      java.util.List<Word> timed = new java.util.ArrayList<>();
      if (words != null && !words.isEmpty()) {
        start = Math.round(words.getJsonObject(0).getDouble("start", 0d) * 1000);
        end = Math.round(words.getJsonObject(words.size() - 1).getDouble("end", 0d) * 1000);
        for (int i = 0; i < words.size(); i++) {
          JsonObject w = words.getJsonObject(i);
          timed.add(new Word(w.getString("word", ""), Math.round(w.getDouble("start", 0d) * 1000),
            Math.round(w.getDouble("end", 0d) * 1000)));
        }
      }
      lastFinalEndMs = end;
      Segment s = new Segment(text, start, end, newestReceivedNanos, timed);
      context.runOnContext(v -> {
        if (!stopped) {
          listener.onFinal(s);
        }
      });
    }

    private void finish() {
      if (stopped) {
        return;
      }
      try {
        if (recognizer != null) {
          emitFinal(recognizer.getFinalResult());
        }
      } finally {
        release();
        context.runOnContext(v -> {
          if (!stopped) {
            stopped = true;
            listener.onEnd();
          }
        });
      }
    }

    /**
     * Frees the recogniser and gives the worker's slot back, once: a stream that ends and is then
     * aborted (or fails while finishing) must not give its slot back twice, or the worker would look
     * less loaded than it is and get more streams than its share.
     */
    private void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      try {
        if (recognizer != null) {
          recognizer.close();
          recognizer = null;
        }
      } finally {
        workers.release(worker);
      }
    }

    private void fail(Throwable t) {
      boolean wasStopped = stopped;
      stopped = true;
      try {
        release();
      } catch (Throwable ignored) {
        // the recogniser is gone either way
      }
      if (!wasStopped) {
        context.runOnContext(v -> {
          if (exceptionHandler != null) {
            exceptionHandler.handle(t);
          }
          listener.onError(t);
        });
      }
    }
  }
}

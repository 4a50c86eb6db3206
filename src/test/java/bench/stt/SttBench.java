package bench.stt;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import ai.stt.VoskSpeechRecognizer;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import support.TestInfra;
import support.Wer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Speech-to-text at real-time pace through the real Vosk recogniser (the server's code path from
 * the recognition stream on): partial latency (audio chunk written -> partial delivered), final
 * latency after the end of speech, accuracy of streamed against offline decoding of the same
 * audio, and how many concurrent real-time streams this machine sustains. Writes bench/results/stt.json.
 *
 * <p>Run: {@code bench/stt.sh}
 */
public final class SttBench {

  static final int CHUNK = 3200; // 100 ms of 16 kHz 16-bit mono

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    int workers = Runtime.getRuntime().availableProcessors();
    JsonObject stt = new JsonObject().put("workers", workers).put("maxLagMs", 2000)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel()));
    SpeechRecognizer recognizer = VoskSpeechRecognizer.create(vertx, stt, Path.of("target")).await();
    String[] files = {"fox.wav", "report.wav", "welcome.wav"};
    JsonObject result = new JsonObject().put("bench", "stt").put("provider", "vosk").put("workers", workers)
      .put("cores", Runtime.getRuntime().availableProcessors());

    // 1. One stream at real-time pace, per file: latency and streamed-vs-offline accuracy.
    Histogram partial = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram fin = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    JsonArray accuracy = new JsonArray();
    for (String file : files) {
      byte[] pcm = Wer.pcm(file);
      String offline = run(vertx, recognizer, pcm, pcm.length, 0, partial, fin).text;
      String streamed = run(vertx, recognizer, pcm, CHUNK, 100, partial, fin).text;
      accuracy.add(new JsonObject().put("file", file).put("offline", offline).put("streamed", streamed)
        .put("werStreamedVsOffline", Wer.of(offline, streamed)));
    }
    result.put("partialLatencyMs", summary(partial)).put("finalLatencyAfterEndOfSpeechMs", summary(fin)).put("accuracy", accuracy);
    System.out.println("partial latency (chunk written -> partial delivered): " + summary(partial).encode());
    System.out.println("final latency after end of speech:                     " + summary(fin).encode());
    System.out.println("streamed vs offline: " + accuracy.encode());

    // 2. Concurrent real-time streams: how many before the backlog grows.
    byte[] all = concat(Wer.pcm(files[0]), Wer.pcm(files[1]), Wer.pcm(files[2]));
    JsonArray ramp = new JsonArray();
    int sustained = 0;
    for (int n : new int[]{1, 2, 4, 6, 8, 10, 12}) {
      Histogram p = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
      AtomicLong maxBacklog = new AtomicLong();
      List<CountDownLatch> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        done.add(start(vertx, recognizer, all, CHUNK, 100, p, new Histogram(TimeUnit.SECONDS.toNanos(30), 3), maxBacklog).latch);
      }
      for (CountDownLatch l : done) {
        l.await(120, TimeUnit.SECONDS);
      }
      boolean ok = maxBacklog.get() < 500 && p.getValueAtPercentile(95) < TimeUnit.MILLISECONDS.toNanos(250);
      ramp.add(new JsonObject().put("streams", n).put("maxBacklogMs", maxBacklog.get()).put("partialP95Ms", p.getValueAtPercentile(95) / 1e6)
        .put("keepsUp", ok));
      System.out.println(n + " concurrent streams: max backlog " + maxBacklog.get() + " ms, partial p95 "
        + p.getValueAtPercentile(95) / 1e6 + " ms -> " + (ok ? "keeps up" : "falls behind"));
      if (!ok) {
        break;
      }
      sustained = n;
    }
    result.put("concurrentRamp", ramp).put("maxConcurrentRealTimeStreams", sustained);
    Path out = Path.of("bench/results/stt.json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily() + "\n");
    System.out.println("max concurrent real-time streams: " + sustained + "; written to " + out);
    recognizer.close();
    vertx.close().await();
    System.exit(0);
  }

  record Run(String text, CountDownLatch latch) {
  }

  static Run run(Vertx vertx, SpeechRecognizer r, byte[] pcm, int chunk, long everyMs, Histogram partial, Histogram fin)
    throws InterruptedException {
    Run run = start(vertx, r, pcm, chunk, everyMs, partial, fin, new AtomicLong());
    run.latch.await(60, TimeUnit.SECONDS);
    return new Run(texts.get(run.latch).toString().trim(), run.latch);
  }

  static final java.util.Map<CountDownLatch, StringBuilder> texts = new java.util.concurrent.ConcurrentHashMap<>();

  static Run start(Vertx vertx, SpeechRecognizer r, byte[] pcm, int chunk, long everyMs, Histogram partial, Histogram fin,
                   AtomicLong maxBacklog) {
    CountDownLatch latch = new CountDownLatch(1);
    StringBuilder text = new StringBuilder();
    texts.put(latch, text);
    Context ctx = vertx.getOrCreateContext();
    long[] endOfSpeech = {0};
    ctx.runOnContext(v -> {
      RecognitionStream s = r.open(new RecognitionRequest("bench", "en-US", 16000), new CaptionListener() {
        public void onPartial(Segment seg) {
          if (everyMs > 0) {
            partial.recordValue(Math.max(0, System.nanoTime() - seg.audioReceivedAtNanos()));
          }
        }

        public void onFinal(Segment seg) {
          text.append(' ').append(seg.text());
          if (everyMs > 0 && endOfSpeech[0] > 0) {
            fin.recordValue(Math.max(0, System.nanoTime() - endOfSpeech[0]));
          }
        }

        public void onError(Throwable t) {
          t.printStackTrace();
          latch.countDown();
        }

        public void onEnd() {
          latch.countDown();
        }
      });
      int[] offset = {0};
      Runnable send = new Runnable() {
        public void run() {
          int n = Math.min(chunk, pcm.length - offset[0]);
          s.write(Buffer.buffer().appendBytes(pcm, offset[0], n));
          offset[0] += n;
          maxBacklog.accumulateAndGet(s.backlogMillis(), Math::max);
          if (offset[0] >= pcm.length) {
            endOfSpeech[0] = System.nanoTime();
            s.end();
          } else if (everyMs == 0) {
            this.run();
          } else {
            vertx.setTimer(everyMs, t -> this.run());
          }
        }
      };
      send.run();
    });
    return new Run(null, latch);
  }

  static byte[] concat(byte[]... parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int o = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  static JsonObject summary(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("p50", h.getValueAtPercentile(50) / 1e6)
      .put("p95", h.getValueAtPercentile(95) / 1e6).put("max", h.getMaxValue() / 1e6);
  }
}

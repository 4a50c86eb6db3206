package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.CaptionListener;
import ai.stt.RecognitionRequest;
import ai.stt.RecognitionStream;
import ai.stt.Segment;
import ai.stt.SpeechRecognizerFactory;
import common.Addresses;
import handlers.media.AudioTap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import support.TestInfra;
import support.Wer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server captions from forwarded RTP (the server's code path from the UDP socket on; Janus is
 * played by this program, which sends Opus RTP at real-time pace as Janus forwards it), against
 * the {@code /ws/audio} path (PCM written to a recognition stream) on the same audio: partial
 * latency from packet arrival, final latency after the end of speech, WER of both; then how many
 * people speaking at once are captioned in real time. Writes bench/results/server-captions.json.
 *
 * <p>Run: {@code bench/server-captions.sh}
 */
public final class ServerCaptionsBench {

  static final String[][] FILES = {{"fox.wav", "the quick brown fox jumps over the lazy dog"},
    {"report.wav", "please share the quarterly report with the team"}, {"welcome.wav", "hello everyone welcome to the meeting"}};
  /** make-audio.sh pads every sentence with 0.5 s of silence at its end. */
  static final long TRAILING_PAD_MS = 500;

  static Vertx vertx;
  static SpeechRecognizer recognizer;
  static final Map<String, List<JsonObject>> captions = new ConcurrentHashMap<>();
  /** Per caption: System.nanoTime() and wall-clock ms when it reached the AI bridge's address. */
  static final Map<String, List<long[]>> arrivals = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    vertx = Vertx.vertx();
    int workers = Runtime.getRuntime().availableProcessors();
    // ai.stt.partialEveryMs: PARTIAL_EVERY_MS=0 asks Vosk for a partial after every chunk, as before it existed
    long partialEveryMs = Long.parseLong(System.getenv().getOrDefault("PARTIAL_EVERY_MS", "100"));
    recognizer = SpeechRecognizerFactory.create(vertx, new JsonObject().put("provider", "vosk").put("workers", workers).put("maxLagMs", 2000)
      .put("partialEveryMs", partialEveryMs)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel()).put("language", "en")), Files.createTempDirectory("stt-")).await();
    vertx.eventBus().<JsonObject>consumer(Addresses.AI_CAPTION, m -> {
      long[] now = {System.nanoTime(), System.currentTimeMillis()};
      captions.computeIfAbsent(m.body().getString("meetingId"), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(m.body());
      arrivals.computeIfAbsent(m.body().getString("meetingId"), k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(now);
    }).completion().await();
    CaptionPublishedAudioHandler.Settings settings = new CaptionPublishedAudioHandler.Settings(true, "127.0.0.1", "127.0.0.1", 3, -50,
      400, 200, "en-US", 500, 10_000);
    JsonObject result = new JsonObject().put("bench", "server-captions").put("provider", "vosk").put("workers", workers)
      .put("cores", Runtime.getRuntime().availableProcessors()).put("hangoverMs", settings.hangoverMs())
      .put("partialEveryMs", partialEveryMs);

    // 1. Latency and WER, SFU path against the /ws/audio path, one speaker, each file three times.
    Histogram sfuPartial = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram sfuFinal = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram wsPartial = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    Histogram wsFinal = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    double sfuWer = 0;
    double wsWer = 0;
    int runs = 0;
    JsonArray texts = new JsonArray();
    for (int round = 0; round < 3; round++) {
      for (String[] file : FILES) {
        byte[] pcm = Wer.pcm(file[0]);
        String sfu = sfuRun(settings, pcm, sfuPartial, sfuFinal, new SimpleMeterRegistry());
        String ws = wsRun(pcm, wsPartial, wsFinal);
        sfuWer += Wer.of(file[1], sfu);
        wsWer += Wer.of(file[1], ws);
        runs++;
        if (round == 0) {
          texts.add(new JsonObject().put("file", file[0]).put("sfu", sfu).put("wsAudio", ws));
        }
      }
    }
    JsonObject latency = new JsonObject()
      .put("sfu", new JsonObject().put("partialFromPacketMs", summary(sfuPartial)).put("finalAfterEndOfSpeechMs", summary(sfuFinal))
        .put("wer", sfuWer / runs))
      .put("wsAudio", new JsonObject().put("partialFromChunkMs", summary(wsPartial)).put("finalAfterEndOfSpeechMs", summary(wsFinal))
        .put("wer", wsWer / runs))
      .put("texts", texts);
    result.put("oneSpeaker", latency);
    System.out.println("one speaker: " + latency.encodePrettily());

    // 2. People speaking at once (each its own forwarded stream, the three sentences back to back).
    byte[] all = concat(Wer.pcm(FILES[0][0]), Wer.pcm(FILES[1][0]), Wer.pcm(FILES[2][0]));
    JsonArray ramp = new JsonArray();
    int sustained = 0;
    for (int n : new int[] {1, 2, 4, 6, 8, 10}) {
      Histogram p = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      Histogram f = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      // plain threads, not Vert.x workers: each run waits on its futures (await), which a worker may not
      List<java.util.concurrent.CompletableFuture<String>> each = new ArrayList<>();
      java.util.concurrent.ExecutorService speakers = java.util.concurrent.Executors.newFixedThreadPool(n);
      for (int i = 0; i < n; i++) {
        each.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          try {
            return sfuRun(settings, all, p, f, registry);
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        }, speakers));
      }
      java.util.concurrent.CompletableFuture.allOf(each.toArray(new java.util.concurrent.CompletableFuture[0])).get(10, TimeUnit.MINUTES);
      speakers.shutdown();
      double behind = registry.find("parley.captions.rtp.packets").tag("outcome", "behind").counter().count();
      double wer = each.stream().mapToDouble(s -> Wer.of(FILES[0][1] + " " + FILES[1][1] + " " + FILES[2][1], s.join())).average().orElse(1);
      boolean ok = behind == 0 && p.getValueAtPercentile(95) < TimeUnit.MILLISECONDS.toNanos(400)
        && f.getValueAtPercentile(95) < TimeUnit.MILLISECONDS.toNanos(1500);
      ramp.add(new JsonObject().put("speakers", n).put("droppedBehind", behind).put("partialP95Ms", p.getValueAtPercentile(95) / 1e6)
        .put("finalP95Ms", f.getValueAtPercentile(95) / 1e6).put("wer", wer).put("realTime", ok));
      System.out.println(ramp.getJsonObject(ramp.size() - 1).encode());
      if (!ok) {
        break;
      }
      sustained = n;
    }
    result.put("concurrent", ramp).put("speakersCaptionedInRealTime", sustained);
    Path out = Path.of("bench", "results", partialEveryMs == 100 ? "server-captions.json"
      : "server-captions-partial" + partialEveryMs + ".json");
    Files.createDirectories(out.getParent());
    Files.writeString(out, result.encodePrettily());
    System.out.println("speakers captioned in real time: " + sustained + "; wrote " + out);
    recognizer.close();
    vertx.close().await();
  }

  /** One forwarded stream of {@code pcm} at real-time pace; returns the finals' text. Blocking: not on an event loop. */
  static String sfuRun(CaptionPublishedAudioHandler.Settings settings, byte[] pcm, Histogram partial, Histogram fin,
                       SimpleMeterRegistry registry) throws Exception {
    UUID meetingId = UUID.randomUUID();
    Promise<int[]> asked = Promise.promise();
    long[] ssrc = new long[1];
    AudioTap.Forwarder janus = new AudioTap.Forwarder() {
      @Override
      public Future<Long> forward(String host, int port, long s, JsonObject srtp) {
        ssrc[0] = s;
        asked.tryComplete(new int[] {port});
        return Future.succeededFuture(1L);
      }

      @Override
      public Future<Void> stop(long id) {
        return Future.succeededFuture();
      }
    };
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    CaptionPublishedAudioHandler handler = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry, settings,
      (t, m) -> Future.succeededFuture(true));
    ctx.runOnContext(v -> handler.started(new AudioTap.Audio("bench", meetingId, 1, "u", "U", "0", "127.0.0.1", janus)));
    int port = asked.future().await()[0];
    // a second of silence after the speech, as a page keeps sending
    byte[] padded = java.util.Arrays.copyOf(pcm, pcm.length + 2 * 16_000);
    List<byte[]> frames = OpusRtp.frames(padded);
    DatagramSocket socket = vertx.createDatagramSocket();
    long start = System.nanoTime();
    long[] sentAt = new long[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      long due = start + i * 20_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      sentAt[i] = System.nanoTime();
      socket.send(OpusRtp.packet(frames, i, 1000, ssrc[0]), port, "127.0.0.1");
    }
    int endOfSpeech = (int) ((pcm.length / 32 - TRAILING_PAD_MS) / 20); // the packet where the speech ended
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline && finals(meetingId).isEmpty()) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    TimeUnit.MILLISECONDS.sleep(1500); // later utterances' finals
    ctx.runOnContext(v -> handler.stopped(meetingId, 1, "left"));
    socket.close();
    List<JsonObject> all = captions.getOrDefault(meetingId.toString(), List.of());
    List<long[]> at = arrivals.getOrDefault(meetingId.toString(), List.of());
    StringBuilder text = new StringBuilder();
    long lastFinal = -1;
    for (int i = 0; i < all.size(); i++) {
      JsonObject c = all.get(i);
      long[] received = at.get(i);
      if (c.getBoolean("final")) {
        text.append(text.isEmpty() ? "" : " ").append(c.getString("text"));
        lastFinal = received[0];
      } else {
        // audioReceivedAtMs: when the newest audio this partial covers was decoded from its packet
        partial.recordValue(TimeUnit.MILLISECONDS.toNanos(Math.max(0, received[1] - c.getLong("audioReceivedAtMs"))));
      }
    }
    if (lastFinal > 0) {
      // the last final against the end of the (last) sentence's speech
      fin.recordValue(Math.max(0, lastFinal - sentAt[Math.min(endOfSpeech, sentAt.length - 1)]));
    }
    captions.remove(meetingId.toString());
    arrivals.remove(meetingId.toString());
    return text.toString();
  }

  static List<JsonObject> finals(UUID meetingId) {
    return captions.getOrDefault(meetingId.toString(), List.of()).stream().filter(c -> c.getBoolean("final")).toList();
  }

  /** The /ws/audio path: 100 ms PCM chunks at real-time pace into a recognition stream, ended after the audio. */
  static String wsRun(byte[] pcm, Histogram partial, Histogram fin) throws Exception {
    List<String> finals = new java.util.concurrent.CopyOnWriteArrayList<>();
    long[] lastFinal = {-1};
    Promise<Void> ended = Promise.promise();
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    RecognitionStream[] stream = new RecognitionStream[1];
    ctx.runOnContext(v -> stream[0] = recognizer.open(new RecognitionRequest(UUID.randomUUID().toString(), "en-US", 16_000), new CaptionListener() {
      @Override
      public void onPartial(Segment s) {
        partial.recordValue(Math.max(0, System.nanoTime() - s.audioReceivedAtNanos()));
      }

      @Override
      public void onFinal(Segment s) {
        if (!s.text().isBlank()) {
          finals.add(s.text());
          lastFinal[0] = System.nanoTime();
        }
      }

      @Override
      public void onError(Throwable t) {
        ended.tryFail(t);
      }

      @Override
      public void onEnd() {
        ended.tryComplete();
      }
    }));
    while (stream[0] == null) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    long start = System.nanoTime();
    int chunk = 3200;
    long speechEnd = 0;
    long speechEndByte = pcm.length - TRAILING_PAD_MS * 32;
    for (int off = 0, i = 0; off < pcm.length; off += chunk, i++) {
      long wait = start + i * 100_000_000L - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      byte[] part = java.util.Arrays.copyOfRange(pcm, off, Math.min(pcm.length, off + chunk));
      if (speechEnd == 0 && off + chunk >= speechEndByte) {
        speechEnd = System.nanoTime();
      }
      ctx.runOnContext(v -> stream[0].write(Buffer.buffer(part)));
    }
    ctx.runOnContext(v -> stream[0].end());
    ended.future().await();
    if (lastFinal[0] > 0) {
      fin.recordValue(Math.max(0, lastFinal[0] - speechEnd));
    }
    return String.join(" ", finals);
  }

  static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static JsonObject summary(Histogram h) {
    return new JsonObject().put("count", h.getTotalCount()).put("p50", h.getValueAtPercentile(50) / 1e6)
      .put("p95", h.getValueAtPercentile(95) / 1e6).put("max", h.getMaxValue() / 1e6);
  }
}

package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.SpeechRecognizerFactory;
import common.Addresses;
import handlers.media.AudioTap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import media.JanusClient;
import media.JanusProcess;
import media.JanusReply;
import media.JanusSession;
import media.JanusSupport;
import media.VideoRoom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.BrowserPublisher;
import support.Poll;
import support.TestInfra;
import support.Wer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SRTP from the real Janus (its VideoRoom's {@code rtp_forward} with {@code srtp_suite} and
 * {@code srtp_crypto}, protected by libsrtp) to Parley's decryptor: headless Chromium publishes a
 * speech WAV to a VideoRoom room, and one publisher's audio is forwarded three times at once, each
 * to its own captioning stream with {@code captions.server.srtp=always}: suite 80 with the key
 * Parley made, suite 32 with the key Parley made, and suite 80 with Janus handed another key than
 * the one Parley decrypts with. The first two decrypt to Opus that Vosk recognises as the sentence;
 * the third yields nothing but authentication failures.
 */
@DisplayName("SRTP forwarding: the real Janus's SRTP decrypts to the sentence (suites 80 and 32); a wrong key gives only auth failures")
class JanusSrtpForwardTest {

  static final String SENTENCE = "the quick brown fox jumps over the lazy dog";
  static final long ROOM = 5151;
  static final String ROOM_SECRET = "srtp-room-secret";
  static final long PUBLISHER = 91;

  static Vertx vertx;
  static Context ctx;
  static HttpServer origin;
  static JanusProcess janus;
  static JanusClient client;
  static VideoRoom admin;
  static SpeechRecognizer recognizer;
  static final List<JsonObject> captions = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    JanusSupport.assumeInstalled("janus-srtp");
    BrowserPublisher.assumeAvailable("janus-srtp");
    vertx = Vertx.vertx();
    ctx = vertx.getOrCreateContext();
    // the page Chromium opens before it offers (a secure origin on loopback)
    origin = vertx.createHttpServer().requestHandler(r -> r.response().end("ok")).listen(0, "127.0.0.1").await();
    recognizer = SpeechRecognizerFactory.create(vertx, new JsonObject().put("provider", "vosk").put("workers", 2).put("maxLagMs", 2000)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel()).put("language", "en")), Files.createTempDirectory("stt-")).await();
    vertx.eventBus().<JsonObject>consumer(Addresses.AI_CAPTION, m -> captions.add(m.body())).completion().await();
    janus = JanusSupport.start(vertx);
    client = JanusSupport.on(ctx, () -> JanusClient.connect(vertx, janus.url(), janus.apiSecret(), 5000));
    JanusSession session = JanusSupport.on(ctx, () -> client.createSession(25_000));
    admin = JanusSupport.on(ctx, () -> VideoRoom.attach(session));
    JanusSupport.on(ctx, () -> admin.create(ROOM, new VideoRoom.RoomSettings("srtp", ROOM_SECRET, janus.adminKey(), 4, 256_000, 10,
      false, 50, 40, "vp8")));
  }

  @AfterAll
  static void stop() {
    if (recognizer != null) {
      recognizer.close();
    }
    if (janus != null) {
      janus.stop();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** Janus's rtp_forward of the publisher's audio (mid 0), on the Janus client's context; {@code keyFor} may change the key Janus gets. */
  static AudioTap.Forwarder forwarder(java.util.function.UnaryOperator<JsonObject> keyFor, List<JsonObject> asked) {
    return new AudioTap.Forwarder() {
      @Override
      public Future<Long> forward(String host, int port, long ssrc, JsonObject srtp) {
        asked.add(srtp == null ? new JsonObject() : srtp.copy());
        JsonArray streams = new JsonArray().add(new JsonObject().put("mid", "0").put("port", port).put("ssrc", ssrc));
        return admin.rtpForward(ROOM, ROOM_SECRET, janus.adminKey(), PUBLISHER, host, streams, srtp == null ? null : keyFor.apply(srtp))
          .map(list -> list.getJsonObject(0).getLong("stream_id"));
      }

      @Override
      public Future<Void> stop(long forwarderId) {
        return admin.stopRtpForward(ROOM, ROOM_SECRET, janus.adminKey(), PUBLISHER, forwarderId);
      }
    };
  }

  static double count(SimpleMeterRegistry registry, String outcome) {
    var c = registry.find("parley.captions.rtp.packets").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  static String counts(SimpleMeterRegistry registry) {
    StringBuilder out = new StringBuilder();
    for (String o : List.of("accepted", "unauthenticated", "replayed", "malformed", "undecodable", "foreign", "duplicate", "late")) {
      out.append(o).append('=').append((long) count(registry, o)).append(' ');
    }
    return out.toString().trim();
  }

  static List<JsonObject> finals(UUID meetingId) {
    return captions.stream().filter(c -> c.getBoolean("final") && meetingId.toString().equals(c.getString("meetingId"))).toList();
  }

  @Test
  @DisplayName("Chromium -> Janus -> SRTP (80 and 32) -> decrypted Opus -> the sentence; Janus given another key -> only unauthenticated packets")
  void srtpFromJanus() {
    CaptionPublishedAudioHandler.Settings suite80 = ForwardedAudioStreamTest.srtp(CaptionPublishedAudioHandler.Srtp.ALWAYS, 80);
    CaptionPublishedAudioHandler.Settings suite32 = ForwardedAudioStreamTest.srtp(CaptionPublishedAudioHandler.Srtp.ALWAYS, 32);
    SimpleMeterRegistry r80 = new SimpleMeterRegistry();
    SimpleMeterRegistry r32 = new SimpleMeterRegistry();
    SimpleMeterRegistry rWrong = new SimpleMeterRegistry();
    CaptionPublishedAudioHandler h80 = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), r80, suite80,
      (t, m) -> Future.succeededFuture(true));
    CaptionPublishedAudioHandler h32 = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), r32, suite32,
      (t, m) -> Future.succeededFuture(true));
    CaptionPublishedAudioHandler hWrong = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), rWrong, suite80,
      (t, m) -> Future.succeededFuture(true));
    UUID m80 = UUID.randomUUID();
    UUID m32 = UUID.randomUUID();
    UUID mWrong = UUID.randomUUID();
    List<JsonObject> asked80 = new CopyOnWriteArrayList<>();
    List<JsonObject> asked32 = new CopyOnWriteArrayList<>();
    List<JsonObject> askedWrong = new CopyOnWriteArrayList<>();

    Path wav = BrowserPublisher.speech("fox.wav", 0.5, 4.0);
    try (BrowserPublisher browser = BrowserPublisher.start("http://127.0.0.1:" + origin.actualPort(), wav, 1)) {
      String offer = browser.offer(0);
      VideoRoom publisher = JanusSupport.on(ctx, () -> VideoRoom.attach(admin.handle().session()));
      JanusReply answer = JanusSupport.on(ctx, () -> publisher.joinAndPublish(ROOM, PUBLISHER, "Ann",
        new JsonObject().put("type", "offer").put("sdp", offer), new JsonObject().put("audio", true)));
      browser.answer(0, answer.jsep().getString("sdp"));
      browser.awaitConnected(0, Duration.ofSeconds(20));

      // each stream on the Janus client's context, as a room's owner runs its tap
      ctx.runOnContext(v -> {
        h80.started(new AudioTap.Audio("t1", m80, PUBLISHER, "u-ann", "Ann", "0", "127.0.0.1", forwarder(k -> k, asked80)));
        h32.started(new AudioTap.Audio("t1", m32, PUBLISHER, "u-ann", "Ann", "0", "127.0.0.1", forwarder(k -> k, asked32)));
        hWrong.started(new AudioTap.Audio("t1", mWrong, PUBLISHER, "u-ann", "Ann", "0", "127.0.0.1",
          forwarder(k -> k.copy().put("crypto", SrtpDecryptor.crypto(SrtpDecryptor.freshMaster())), askedWrong)));
      });
      Poll.until(Duration.ofSeconds(20), () -> count(r80, "accepted") > 20 && count(r32, "accepted") > 20
        && count(rWrong, "unauthenticated") > 20, "Janus forwards SRTP to all three: 80 " + counts(r80) + "; 32 " + counts(r32)
        + "; wrong " + counts(rWrong));
      assertEquals(80, asked80.get(0).getInteger("suite"), "Parley asked Janus for SRTP, suite 80");
      assertEquals(32, asked32.get(0).getInteger("suite"));
      assertTrue(!asked80.get(0).getString("crypto").equals(asked32.get(0).getString("crypto")), "each forward has its own key");

      browser.play(0);
      Poll.until(Duration.ofSeconds(60), () -> !finals(m80).isEmpty() && !finals(m32).isEmpty(),
        "final captions through both suites: " + captions + "; 80 " + counts(r80) + "; 32 " + counts(r32));
      for (UUID m : List.of(m80, m32)) {
        JsonObject fin = finals(m).get(0);
        double wer = Wer.of(SENTENCE, fin.getString("text"));
        System.out.printf("[janus-srtp] suite %s: \"%s\" WER %.2f%n", m == m80 ? "80" : "32", fin.getString("text"), wer);
        assertEquals("Ann", fin.getString("speakerName"));
        // Decryption is proven by the counts below (every packet authenticated and decoded); the
        // words show it is the sentence. A loaded machine drops the odd word at the start of play
        // (full suites heard "ludwig brown fox jumps over the daily now", WER 0.44, and "the quick
        // brown fox jumps sobered the daily nog", 0.33).
        assertTrue(fin.getString("text").contains("brown fox") && wer <= 0.5, "WER " + wer + ": " + fin.getString("text"));
      }
      System.out.printf("[janus-srtp] 80: %s; 32: %s; wrong key: %s%n", counts(r80), counts(r32), counts(rWrong));
      for (SimpleMeterRegistry r : List.of(r80, r32)) {
        assertEquals(0.0, count(r, "unauthenticated"), "every packet of Janus's authenticates: " + counts(r));
        assertEquals(0.0, count(r, "undecodable"), "and decrypts to valid Opus: " + counts(r));
        assertEquals(0.0, count(r, "malformed") + count(r, "foreign"), counts(r));
        assertTrue(count(r, "accepted") > 200, "seconds of audio accepted: " + counts(r));
      }
      assertEquals(0.0, count(rWrong, "accepted"), "with another key nothing is accepted: " + counts(rWrong));
      assertEquals(0.0, count(rWrong, "undecodable") + count(rWrong, "malformed") + count(rWrong, "replayed") + count(rWrong, "foreign"),
        "only authentication failures: " + counts(rWrong));
      assertTrue(count(rWrong, "unauthenticated") > 200, counts(rWrong));
      assertTrue(finals(mWrong).isEmpty() && captions.stream().noneMatch(c -> mWrong.toString().equals(c.getString("meetingId"))),
        "no caption from the wrong key");
      assertEquals(1, hWrong.streams(), "the stream goes on regardless (it is not stopped by forgeries)");

      ctx.runOnContext(v -> {
        h80.stopped(m80, PUBLISHER, "left");
        h32.stopped(m32, PUBLISHER, "left");
        hWrong.stopped(mWrong, PUBLISHER, "left");
      });
      Poll.until(Duration.ofSeconds(10), () -> h80.streams() + h32.streams() + hWrong.streams() == 0, "all stopped");
    }
  }
}

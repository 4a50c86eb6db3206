package handlers.captions;

import ai.SpeechRecognizer;
import ai.stt.SpeechRecognizerFactory;
import common.Addresses;
import handlers.media.AudioTap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Poll;
import support.TestInfra;
import support.Wer;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One forwarded stream against the real Vosk recogniser, with Janus played by the test: the
 * forwarder the handler sets up is recorded, and the test sends Opus RTP to the socket it names,
 * mixing in what an attacker or a broken network would send. What is accepted, dropped and
 * counted, and the captions that come out, are checked.
 */
@DisplayName("Forwarded audio: only the forwarder's packets, malformed ones counted, reordered and lost ones handled, captions out")
class ForwardedAudioStreamTest {

  static Vertx vertx;
  static SpeechRecognizer recognizer;
  static final List<JsonObject> captions = new CopyOnWriteArrayList<>();

  static final CaptionPublishedAudioHandler.Settings SETTINGS = new CaptionPublishedAudioHandler.Settings(true, "127.0.0.1",
    "127.0.0.1", 3, -50, 400, 200, "en-US", 500, 10_000);

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    recognizer = SpeechRecognizerFactory.create(vertx, new JsonObject().put("provider", "vosk").put("workers", 1).put("maxLagMs", 2000)
      .put("vosk", new JsonObject().put("modelPath", TestInfra.voskModel()).put("language", "en")), Files.createTempDirectory("stt-")).await();
    vertx.eventBus().<JsonObject>consumer(Addresses.AI_CAPTION, m -> captions.add(m.body())).completion().await();
  }

  @AfterAll
  static void stop() {
    recognizer.close();
    vertx.close().await();
  }

  /** Janus as the test plays it: remembers where it was asked to forward. */
  static final class FakeForwarder implements AudioTap.Forwarder {
    volatile int port = -1;
    volatile long ssrc;
    volatile String host;
    volatile JsonObject srtp;
    final AtomicInteger stops = new AtomicInteger();

    @Override
    public Future<Long> forward(String host, int port, long ssrc, JsonObject srtp) {
      this.host = host;
      this.ssrc = ssrc;
      this.srtp = srtp;
      this.port = port;
      return Future.succeededFuture(42L);
    }

    @Override
    public Future<Void> stop(long forwarderId) {
      assertEquals(42L, forwarderId);
      stops.incrementAndGet();
      return Future.succeededFuture();
    }
  }

  static double count(SimpleMeterRegistry registry, String outcome) {
    var c = registry.find("parley.captions.rtp.packets").tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  @DisplayName("speech in Opus RTP with foreign, malformed, undecodable, duplicate, reordered and lost packets becomes a final caption; stop ends the forwarder")
  void speechThroughTheMess() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CaptionPublishedAudioHandler handler = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry, SETTINGS,
      (tenant, meeting) -> Future.succeededFuture(true));
    UUID meetingId = UUID.randomUUID();
    FakeForwarder janus = new FakeForwarder();
    AudioTap.Audio audio = new AudioTap.Audio("t1", meetingId, 77, "u-ann", "Ann", "0", "127.0.0.1", janus);
    vertx.runOnContext(v -> handler.started(audio));
    Poll.until(Duration.ofSeconds(10), () -> janus.port > 0, "the handler asks Janus to forward");
    assertEquals("127.0.0.1", janus.host);
    assertTrue(janus.ssrc > 0 && janus.ssrc <= 0xffffffffL);
    assertEquals(null, janus.srtp, "plain RTP when SRTP is off");

    byte[] pcm = Wer.pcm("fox.wav");
    byte[] padded = java.util.Arrays.copyOf(pcm, pcm.length + 2 * 16_000); // a second of silence after the speech
    List<byte[]> frames = OpusRtp.frames(padded);
    DatagramSocket jan = vertx.createDatagramSocket();
    DatagramSocket intruder = vertx.createDatagramSocket();
    int port = janus.port;
    long ssrc = janus.ssrc;
    int firstSeq = 65_500; // wraps during the stream
    AtomicLong expectedForeign = new AtomicLong();
    AtomicLong expectedMalformed = new AtomicLong();
    AtomicLong expectedUndecodable = new AtomicLong();
    AtomicLong expectedDuplicates = new AtomicLong();
    AtomicLong expectedLate = new AtomicLong();
    int lostIndex = 40;
    // Paced at real time (20 ms a packet); every tenth slot carries something else too.
    AtomicInteger i = new AtomicInteger();
    io.vertx.core.Promise<Void> sent = io.vertx.core.Promise.promise();
    vertx.setPeriodic(20, timer -> {
      int n = i.getAndIncrement();
      if (n >= frames.size()) {
        vertx.cancelTimer(timer);
        sent.complete();
        return;
      }
      if (n == lostIndex) {
        return; // never sent: lost
      }
      if (n % 10 == 5 && n + 1 < frames.size()) {
        // reordered: n+1 goes before n, twice (the second a duplicate of one waiting)
        jan.send(OpusRtp.packet(frames, n + 1, firstSeq, ssrc), port, "127.0.0.1");
        jan.send(OpusRtp.packet(frames, n + 1, firstSeq, ssrc), port, "127.0.0.1");
        jan.send(OpusRtp.packet(frames, n, firstSeq, ssrc), port, "127.0.0.1");
        expectedDuplicates.incrementAndGet();
        i.incrementAndGet();
        return;
      }
      if (n == 100) {
        // its Opus is broken: accepted (right SSRC and port), not decodable, and the stream goes on
        jan.send(RtpPacket.build(111, (firstSeq + n) & 0xffff, 960L * n, ssrc, new byte[] {0x03, 0x00}), port, "127.0.0.1");
        expectedUndecodable.incrementAndGet();
        return;
      }
      jan.send(OpusRtp.packet(frames, n, firstSeq, ssrc), port, "127.0.0.1");
      switch (n % 10) {
        case 1 -> {
          jan.send(OpusRtp.packet(frames, n, firstSeq, ssrc), port, "127.0.0.1"); // a repeat of one already decoded
          expectedLate.incrementAndGet();
        }
        case 2 -> {
          jan.send(RtpPacket.build(111, 9, 9, ssrc ^ 1, frames.get(n)), port, "127.0.0.1"); // another SSRC
          expectedForeign.incrementAndGet();
        }
        case 3 -> {
          jan.send(Buffer.buffer("GET / HTTP/1.1\r\n\r\n"), port, "127.0.0.1");
          jan.send(Buffer.buffer(new byte[] {(byte) 0x80, 111, 0, 1}), port, "127.0.0.1");
          expectedMalformed.addAndGet(2);
        }
        case 4 -> {
          intruder.send(OpusRtp.packet(frames, n, firstSeq, ssrc), port, "127.0.0.1"); // right SSRC, another source port
          expectedForeign.incrementAndGet();
        }
        default -> {
        }
      }
    });
    sent.future().await();

    JsonObject fin = firstFinal(captions, meetingId);
    assertEquals("u-ann", fin.getString("speakerId"));
    assertEquals("Ann", fin.getString("speakerName"));
    assertEquals("t1", fin.getString("tenant"));
    assertEquals("en", fin.getString("lang"));
    double wer = Wer.of("the quick brown fox jumps over the lazy dog", fin.getString("text"));
    System.out.printf("[forwarded-audio] \"%s\" WER %.2f%n", fin.getString("text"), wer);
    assertTrue(wer <= 0.25, "WER " + wer + ": " + fin.getString("text") + "; all: " + captions);

    assertEquals(expectedForeign.get(), count(registry, "foreign"), "foreign: another SSRC, another source port");
    assertEquals(expectedMalformed.get(), count(registry, "malformed"), "malformed: not RTP, truncated");
    // a repeat is a duplicate while its original waits in the jitter buffer, late once it has been decoded
    assertEquals(expectedDuplicates.get() + expectedLate.get(), count(registry, "duplicate") + count(registry, "late"),
      "repeats: duplicate " + count(registry, "duplicate") + ", late " + count(registry, "late"));
    assertTrue(count(registry, "duplicate") >= expectedDuplicates.get(), "the repeats of waiting packets are duplicates");
    assertEquals(expectedUndecodable.get(), count(registry, "undecodable"));
    assertEquals(frames.size() - 1 + expectedDuplicates.get() + expectedLate.get(), count(registry, "accepted"),
      "every packet of the forwarder's SSRC and port is accepted (the one with broken Opus too), the lost one never came");
    assertTrue(registry.find("parley.captions.rtp.lost").counter().count() >= 1, "the packet never sent counts as lost");
    assertEquals(1.0, registry.find("parley.captions.rtp.streams").gauge().value());
    assertEquals(0.0, count(registry, "behind"), "the recogniser kept up within the bound");

    vertx.runOnContext(v -> handler.stopped(meetingId, 77, "muted"));
    Poll.until(Duration.ofSeconds(5), () -> janus.stops.get() == 1 && handler.streams() == 0, "Janus is told to stop forwarding");
    assertEquals(0.0, registry.find("parley.captions.rtp.streams").gauge().value());
    jan.close();
    intruder.close();
  }

  @Test
  @DisplayName("captions off for the meeting: no forwarder, no stream; stopped before Janus answered: the forwarder is stopped at once")
  void offAndEarlyStop() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CaptionPublishedAudioHandler off = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry, SETTINGS,
      (tenant, meeting) -> Future.succeededFuture(false));
    FakeForwarder janus = new FakeForwarder();
    UUID meetingId = UUID.randomUUID();
    vertx.runOnContext(v -> off.started(new AudioTap.Audio("t1", meetingId, 1, "u", "U", "0", "127.0.0.1", janus)));
    Poll.until(Duration.ofSeconds(5), () -> off.streams() == 0, "the stream is dropped");
    assertEquals(-1, janus.port, "Janus was never asked to forward");

    io.vertx.core.Promise<Long> answer = io.vertx.core.Promise.promise();
    AtomicInteger stops = new AtomicInteger();
    AtomicInteger asked = new AtomicInteger();
    AudioTap.Forwarder slow = new AudioTap.Forwarder() {
      @Override
      public Future<Long> forward(String host, int port, long ssrc, JsonObject srtp) {
        asked.incrementAndGet();
        return answer.future();
      }

      @Override
      public Future<Void> stop(long forwarderId) {
        stops.incrementAndGet();
        return Future.succeededFuture();
      }
    };
    CaptionPublishedAudioHandler on = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry, SETTINGS,
      (tenant, meeting) -> Future.succeededFuture(true));
    vertx.runOnContext(v -> on.started(new AudioTap.Audio("t1", meetingId, 2, "u", "U", "0", "127.0.0.1", slow)));
    Poll.until(Duration.ofSeconds(5), () -> asked.get() == 1, "Janus is asked to forward");
    vertx.runOnContext(v -> on.stopped(meetingId, 2, "left"));
    Poll.until(Duration.ofSeconds(5), () -> on.streams() == 0, "stopped");
    vertx.runOnContext(v -> answer.complete(9L));
    Poll.until(Duration.ofSeconds(5), () -> stops.get() == 1, "the late forwarder is stopped");
  }

  static CaptionPublishedAudioHandler.Settings srtp(CaptionPublishedAudioHandler.Srtp mode, int suite) {
    return new CaptionPublishedAudioHandler.Settings(true, "127.0.0.1", "127.0.0.1", 3, -50, 400, 200, "en-US", 500, 10_000, mode, suite);
  }

  @Test
  @DisplayName("srtp=always: Janus is given a fresh 30-byte key; SRTP speech becomes a final caption; forged, replayed, plain and truncated packets are counted and dropped")
  void srtpSpeech() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CaptionPublishedAudioHandler handler = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry,
      srtp(CaptionPublishedAudioHandler.Srtp.ALWAYS, 80), (tenant, meeting) -> Future.succeededFuture(true));
    UUID meetingId = UUID.randomUUID();
    FakeForwarder janus = new FakeForwarder();
    vertx.runOnContext(v -> handler.started(new AudioTap.Audio("t1", meetingId, 78, "u-bea", "Bea", "0", "127.0.0.1", janus)));
    Poll.until(Duration.ofSeconds(10), () -> janus.port > 0, "the handler asks Janus to forward");
    assertEquals(80, janus.srtp.getInteger("suite"));
    byte[] master = java.util.Base64.getDecoder().decode(janus.srtp.getString("crypto"));
    assertEquals(30, master.length, "srtp_crypto is base64 of a 16-byte master key and a 14-byte salt");
    byte[] wrong = master.clone();
    wrong[0] ^= 1;
    SrtpSender tx = new SrtpSender(80, master);
    SrtpSender forger = new SrtpSender(80, wrong);

    byte[] pcm = Wer.pcm("fox.wav");
    List<byte[]> frames = OpusRtp.frames(java.util.Arrays.copyOf(pcm, pcm.length + 2 * 16_000));
    DatagramSocket jan = vertx.createDatagramSocket();
    int port = janus.port;
    long ssrc = janus.ssrc;
    int firstSeq = 65_000; // wraps: the ROC goes to 1
    AtomicLong forged = new AtomicLong();
    AtomicLong replayed = new AtomicLong();
    AtomicLong malformed = new AtomicLong();
    AtomicInteger i = new AtomicInteger();
    io.vertx.core.Promise<Void> sent = io.vertx.core.Promise.promise();
    vertx.setPeriodic(20, timer -> {
      int n = i.getAndIncrement();
      if (n >= frames.size()) {
        vertx.cancelTimer(timer);
        sent.complete();
        return;
      }
      Buffer packet = tx.protect(OpusRtp.packet(frames, n, firstSeq, ssrc));
      jan.send(packet, port, "127.0.0.1");
      switch (n % 10) {
        case 1 -> {
          jan.send(packet, port, "127.0.0.1"); // replayed
          replayed.incrementAndGet();
        }
        case 2 -> {
          jan.send(forger.protect(OpusRtp.packet(frames, n + 1, firstSeq, ssrc), (firstSeq + n + 1) >> 16), port, "127.0.0.1");
          forged.incrementAndGet();
        }
        case 3 -> {
          Buffer plain = OpusRtp.packet(frames, n + 1, firstSeq, ssrc);
          jan.send(plain, port, "127.0.0.1"); // plain RTP: no tag (a silent frame's is too short to hold one)
          (plain.length() < 12 + 10 ? malformed : forged).incrementAndGet();
        }
        case 4 -> {
          Buffer flipped = tx.protect(OpusRtp.packet(frames, n + 1, firstSeq, ssrc), (firstSeq + n + 1) >> 16).copy();
          flipped.setByte(20, (byte) (flipped.getByte(20) ^ 0x80));
          jan.send(flipped, port, "127.0.0.1"); // the next packet, a bit flipped in its payload
          forged.incrementAndGet();
        }
        case 5 -> {
          jan.send(packet.getBuffer(0, 15), port, "127.0.0.1"); // truncated below a header and a tag
          malformed.incrementAndGet();
        }
        default -> {
        }
      }
    });
    sent.future().await();

    JsonObject fin = firstFinal(captions, meetingId);
    assertEquals("u-bea", fin.getString("speakerId"));
    double wer = Wer.of("the quick brown fox jumps over the lazy dog", fin.getString("text"));
    System.out.printf("[forwarded-audio srtp] \"%s\" WER %.2f%n", fin.getString("text"), wer);
    assertTrue(wer <= 0.25, "WER " + wer + ": " + fin.getString("text"));
    assertEquals(frames.size(), count(registry, "accepted"), "every genuine packet, once");
    assertEquals(forged.get(), count(registry, "unauthenticated"), "another key, plain RTP, a flipped bit");
    assertEquals(replayed.get(), count(registry, "replayed"));
    assertEquals(malformed.get(), count(registry, "malformed"));
    assertEquals(0.0, count(registry, "undecodable"), "nothing undecodable reached Opus");
    assertEquals(0.0, count(registry, "foreign"));
    assertEquals(0.0, registry.find("parley.captions.rtp.lost").counter().count());
    vertx.runOnContext(v -> handler.stopped(meetingId, 78, "left"));
    Poll.until(Duration.ofSeconds(5), () -> janus.stops.get() == 1 && handler.streams() == 0, "Janus is told to stop forwarding");
    jan.close();
  }

  @Test
  @DisplayName("srtp=auto: plain RTP from a Janus on loopback, SRTP (suite 32 as set) from a Janus on another address; never: plain")
  void srtpAuto() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UUID meetingId = UUID.randomUUID();
    CaptionPublishedAudioHandler auto = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry,
      srtp(CaptionPublishedAudioHandler.Srtp.AUTO, 32), (tenant, meeting) -> Future.succeededFuture(true));
    FakeForwarder local = new FakeForwarder();
    FakeForwarder remote = new FakeForwarder();
    vertx.runOnContext(v -> {
      auto.started(new AudioTap.Audio("t1", meetingId, 1, "u", "U", "0", "localhost", local));
      auto.started(new AudioTap.Audio("t1", meetingId, 2, "u", "U", "0", "192.0.2.10", remote)); // TEST-NET-1: another host
    });
    Poll.until(Duration.ofSeconds(10), () -> local.port > 0 && remote.port > 0, "both forwards asked for");
    assertEquals(null, local.srtp, "Janus on loopback: plain RTP");
    assertEquals(32, remote.srtp.getInteger("suite"), "Janus elsewhere: SRTP with the configured suite");
    assertEquals(30, java.util.Base64.getDecoder().decode(remote.srtp.getString("crypto")).length);

    CaptionPublishedAudioHandler never = new CaptionPublishedAudioHandler(vertx, recognizer, OpenTelemetry.noop(), registry,
      srtp(CaptionPublishedAudioHandler.Srtp.NEVER, 80), (tenant, meeting) -> Future.succeededFuture(true));
    FakeForwarder far = new FakeForwarder();
    vertx.runOnContext(v -> never.started(new AudioTap.Audio("t1", meetingId, 3, "u", "U", "0", "192.0.2.11", far)));
    Poll.until(Duration.ofSeconds(10), () -> far.port > 0, "forward asked for");
    assertEquals(null, far.srtp, "never: plain RTP even to another host");
    vertx.runOnContext(v -> {
      auto.stopped(meetingId, 1, "left");
      auto.stopped(meetingId, 2, "left");
      never.stopped(meetingId, 3, "left");
    });
    Poll.until(Duration.ofSeconds(5), () -> auto.streams() == 0 && never.streams() == 0, "stopped");
  }

  /** The meeting's first final caption, once one has come (within 20 s). */
  private static JsonObject firstFinal(List<JsonObject> captions, UUID meetingId) {
    java.util.function.Supplier<java.util.Optional<JsonObject>> first = () -> captions.stream()
      .filter(c -> c.getBoolean("final") && meetingId.toString().equals(c.getString("meetingId"))).findFirst();
    Poll.until(Duration.ofSeconds(20), () -> first.get().isPresent(), "a final caption: " + captions);
    return first.get().orElseThrow();
  }
}

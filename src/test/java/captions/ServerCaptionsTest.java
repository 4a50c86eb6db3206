package captions;

import io.vertx.core.json.JsonObject;
import media.JanusSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.BrowserPublisher;
import support.Poll;
import support.TestServer;
import support.Wer;
import verticles.Parley;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server-side captions in an SFU meeting, end to end with real parts: a headless Chromium
 * publishes its microphone (a speech WAV) to the real Janus through Parley's media.publish; Janus
 * forwards the Opus audio to Parley (rtp_forward), which decodes and recognises it with Vosk; the
 * other participant receives the speaker's captions. Her page never opens /ws/audio.
 */
@DisplayName("Server captions: Chromium -> Janus -> rtp_forward -> Opus -> Vosk -> captions for everyone")
class ServerCaptionsTest {

  static final String SENTENCE = "the quick brown fox jumps over the lazy dog";
  static Parley server;
  static Api api;
  static String tenant;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("server-captions");
    BrowserPublisher.assumeAvailable("server-captions");
    server = TestServer.start(new JsonObject().put("media", TestServer.janusMedia()));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("srvcap");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      api.close();
      server.stop().await();
    }
  }

  static String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Publishes publisher {@code index}'s offer as {@code token}'s camera; completes the negotiation. Returns the reply. */
  static JsonObject publish(BridgeClient client, String meetingId, BrowserPublisher browser, int index) {
    JsonObject reply = client.request("media.publish", new JsonObject().put("meetingId", meetingId).put("kind", "camera")
      .put("jsep", new JsonObject().put("type", "offer").put("sdp", browser.offer(index)))).await();
    browser.answer(index, reply.getJsonObject("jsep").getString("sdp"));
    browser.awaitConnected(index, Duration.ofSeconds(20));
    return reply;
  }

  static double metric(String name, String labels) {
    String text = api.get("/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(text);
    double sum = 0;
    while (m.find()) {
      if (labels == null || m.group(1).contains(labels)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    if (labels == null) {
      Matcher plain = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+-]+)$").matcher(text);
      while (plain.find()) {
        sum += Double.parseDouble(plain.group(1));
      }
    }
    return sum;
  }

  /** The forwarded-audio lines of /metrics, for failure messages. */
  static String forwarding() {
    return api.get("/metrics", null).body().lines().filter(l -> l.startsWith("parley_captions_rtp")).toList().toString();
  }

  /** Plays the WAV and waits for the next final caption of {@code speakerId}; returns it. */
  static JsonObject speakAndAwaitFinal(BrowserPublisher browser, List<JsonObject> captions, String speakerId) {
    java.util.function.Supplier<List<JsonObject>> finals = () -> captions.stream()
      .filter(c -> c.getBoolean("final") && speakerId.equals(c.getString("speakerId"))).toList();
    int nth = finals.get().size() + 1;
    browser.play(0);
    try {
      Poll.until(Duration.ofSeconds(90), () -> finals.get().size() >= nth, "final caption " + nth + " of her speech reaches Ben");
    } catch (AssertionError e) {
      browser.stats(0);
      throw new AssertionError(e.getMessage() + "; captions " + captions + "; " + forwarding() + "; publisher " + browser.messages, e);
    }
    return finals.get().get(nth - 1);
  }

  @Test
  @DisplayName("Ann's microphone reaches Janus; Ben receives her final captions (mean WER <= 0.34 over two sentences) with her as the speaker, without /ws/audio")
  void othersReceiveHerCaptions() {
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben", tenant);
    String meetingId = api.createMeeting(ann, "Server captions");
    api.join(ann, meetingId);
    api.join(ben, meetingId);
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    b.register("meeting." + meetingId + ".captions", meetingId, captions::add).await();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();

    Path wav = BrowserPublisher.speech("fox.wav", 0.5, 4.0);
    double streams = metric("parley_captions_rtp_streams", null);
    double accepted = metric("parley_captions_rtp_packets_total", "outcome=\"accepted\"");
    try (BrowserPublisher browser = BrowserPublisher.start(origin(), wav, 1)) {
      publish(a, meetingId, browser, 0);
      Poll.until(Duration.ofSeconds(20), () -> metric("parley_captions_rtp_streams", null) == streams + 1
        && metric("parley_captions_rtp_packets_total", "outcome=\"accepted\"") > accepted, "Janus forwards her audio to Parley");
      // One sentence through Chromium's Opus at its default bitrate varies from run to run on this
      // machine (WER 0.00 to 0.44 over a dozen runs, "the lazy dog" often heard as "the daily
      // nog"; no RTP packet lost, late or foreign): it is said twice, and the two are judged together.
      double total = 0;
      for (int said = 1; said <= 2; said++) {
        JsonObject fin = speakAndAwaitFinal(browser, captions, api.userId(ann));
        double wer = Wer.of(SENTENCE, fin.getString("text"));
        System.out.printf("[server-captions] final %d \"%s\" WER %.2f; %s%n", said, fin.getString("text"), wer, forwarding());
        assertEquals("Ann", fin.getString("speakerName"));
        total += wer;
      }
      assertTrue(total / 2 <= 0.34, "mean WER " + total / 2 + " over two sentences: " + captions + "; " + forwarding());
      assertTrue(captions.stream().anyMatch(c -> !c.getBoolean("final")), "partials came too: " + captions);
      assertTrue(metric("parley_captions_rtp_packets_total", "outcome=\"accepted\"") > 100, "Janus's packets were accepted");
      assertEquals(0.0, metric("parley_captions_rtp_packets_total", "outcome=\"foreign\""), "nothing foreign came");
    }
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("a tenant that turned serverCaptions off: Janus forwards nothing, no one is captioned")
  void tenantSettingOff() {
    String quiet = TestServer.freshTenant("srvcap-off");
    String admin = api.token("Admin", quiet, "admin");
    assertEquals(200, api.put("/api/v1/tenant", admin, new JsonObject().put("serverCaptions", false)).status());
    String eve = api.token("Eve", quiet);
    String meetingId = api.createMeeting(eve, "Not captioned");
    api.join(eve, meetingId);
    BridgeClient e = BridgeClient.connect(server.vertx(), server.port(), eve).await();
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    e.register("meeting." + meetingId + ".captions", meetingId, captions::add).await();
    double before = metric("parley_captions_rtp_streams", null);
    double accepted = metric("parley_captions_rtp_packets_total", "outcome=\"accepted\"");
    Path wav = BrowserPublisher.speech("fox.wav", 0.2, 2.0);
    try (BrowserPublisher browser = BrowserPublisher.start(origin(), wav, 1)) {
      publish(e, meetingId, browser, 0);
      browser.play(0);
      // the connection is up and her speech has been sent: the RTCP-counted packets say so
      Poll.until(Duration.ofSeconds(20), () -> {
        browser.stats(0);
        return browser.messages.stream().anyMatch(m -> m.containsKey("stats") && m.getJsonObject("stats").getInteger("packets", 0) > 250);
      }, "five seconds of her audio have been sent");
      assertEquals(before, metric("parley_captions_rtp_streams", null), "no stream is captioned");
      assertEquals(accepted, metric("parley_captions_rtp_packets_total", "outcome=\"accepted\""), "no packet was forwarded to Parley");
      assertTrue(captions.isEmpty(), "no captions: " + captions);
    }
    e.close().await();
  }

  @Test
  @DisplayName("muting (her own switch) stops her captioning and unmuting starts it again; leaving stops it")
  void muteAndLeave() {
    String cy = api.token("Cy", tenant);
    String dee = api.token("Dee", tenant);
    String meetingId = api.createMeeting(cy, "Mute");
    api.join(cy, meetingId);
    api.join(dee, meetingId);
    BridgeClient c = BridgeClient.connect(server.vertx(), server.port(), cy).await();
    double before = metric("parley_captions_rtp_streams", null);
    Path wav = BrowserPublisher.speech("welcome.wav", 0.2, 30.0);
    try (BrowserPublisher browser = BrowserPublisher.start(origin(), wav, 1)) {
      String connection = publish(c, meetingId, browser, 0).getString("connection");
      Poll.until(Duration.ofSeconds(15), () -> metric("parley_captions_rtp_streams", null) == before + 1, "Cy's audio is captioned");
      browser.play(0);
      c.request("media.configure", new JsonObject().put("meetingId", meetingId).put("connection", connection).put("audio", false)).await();
      Poll.until(Duration.ofSeconds(10), () -> metric("parley_captions_rtp_streams", null) == before, "muted: not captioned");
      c.request("media.configure", new JsonObject().put("meetingId", meetingId).put("connection", connection).put("audio", true)).await();
      Poll.until(Duration.ofSeconds(10), () -> metric("parley_captions_rtp_streams", null) == before + 1, "unmuted: captioned again");
      assertEquals(200, api.post("/api/v1/meetings/" + meetingId + "/leave", cy, new JsonObject()).status());
      Poll.until(Duration.ofSeconds(10), () -> metric("parley_captions_rtp_streams", null) == before, "left: not captioned");
    }
    c.close().await();
  }
}

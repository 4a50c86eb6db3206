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
 * Server captions with {@code captions.server.srtp=always}, end to end through the server's own
 * room and forwarder: Chromium publishes a speech WAV to the real Janus through media.publish,
 * Janus forwards it as SRTP with the key the server made, and the other participant receives the
 * final caption. Every forwarded packet authenticates.
 */
@DisplayName("Server captions over SRTP (srtp=always): Chromium -> Janus -> SRTP rtp_forward -> decrypted -> captions for everyone")
class ServerCaptionsSrtpTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    JanusSupport.assumeInstalled("server-captions-srtp");
    BrowserPublisher.assumeAvailable("server-captions-srtp");
    server = TestServer.start(new JsonObject().put("media", TestServer.janusMedia())
      .put("captions", new JsonObject().put("server", new JsonObject().put("srtp", "always").put("srtpSuite", 32))));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      api.close();
      server.stop().await();
    }
  }

  static double packets(String outcome) {
    Matcher m = Pattern.compile("(?m)^parley_captions_rtp_packets_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*\\} ([0-9.eE+-]+)$")
      .matcher(api.get("/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  static String forwarding() {
    return api.get("/metrics", null).body().lines().filter(l -> l.startsWith("parley_captions_rtp")).toList().toString();
  }

  @Test
  @DisplayName("Ben receives Ann's final caption (WER <= 0.34) decrypted from Janus's SRTP (suite 32); no packet fails authentication")
  void captionsOverSrtp() {
    String tenant = TestServer.freshTenant("srtp");
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben", tenant);
    String meetingId = api.createMeeting(ann, "SRTP captions");
    api.join(ann, meetingId);
    api.join(ben, meetingId);
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    List<JsonObject> captions = new CopyOnWriteArrayList<>();
    b.register("meeting." + meetingId + ".captions", meetingId, captions::add).await();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    Path wav = BrowserPublisher.speech("fox.wav", 0.5, 4.0);
    try (BrowserPublisher browser = BrowserPublisher.start("http://127.0.0.1:" + server.port(), wav, 1)) {
      JsonObject reply = a.request("media.publish", new JsonObject().put("meetingId", meetingId).put("kind", "camera")
        .put("jsep", new JsonObject().put("type", "offer").put("sdp", browser.offer(0)))).await();
      browser.answer(0, reply.getJsonObject("jsep").getString("sdp"));
      browser.awaitConnected(0, Duration.ofSeconds(20));
      Poll.until(Duration.ofSeconds(20), () -> packets("accepted") > 20, "Janus's SRTP packets are accepted: " + forwarding());
      browser.play(0);
      Poll.until(Duration.ofSeconds(90), () -> captions.stream().anyMatch(c -> c.getBoolean("final")),
        "Ben gets her final caption: " + captions + "; " + forwarding());
      JsonObject fin = captions.stream().filter(c -> c.getBoolean("final")).findFirst().orElseThrow();
      double wer = Wer.of("the quick brown fox jumps over the lazy dog", fin.getString("text"));
      System.out.printf("[server-captions-srtp] \"%s\" WER %.2f; %s%n", fin.getString("text"), wer, forwarding());
      assertEquals("Ann", fin.getString("speakerName"));
      assertTrue(wer <= 0.34, "WER " + wer + ": " + fin.getString("text"));
      assertTrue(packets("accepted") > 100, forwarding());
      assertEquals(0.0, packets("unauthenticated"), "every packet Janus sent authenticates: " + forwarding());
      assertEquals(0.0, packets("undecodable") + packets("malformed") + packets("foreign"), forwarding());
    }
    a.close().await();
    b.close().await();
  }
}

package captions;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import support.Wer;
import verticles.Parley;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AI dependencies that fail: the meeting goes on, the failure is visible, nothing is lost. */
@DisplayName("Degraded AI: a broken recogniser or a dead translator never takes the meeting down")
class DegradedAiTest {

  @Test
  @DisplayName("a recogniser that cannot load closes audio with 1011; readiness says degraded; chat still works")
  void brokenRecogniser(@TempDir Path notAModel) {
    Parley server = TestServer.start(new JsonObject().put("ai", new JsonObject()
      .put("stt", new JsonObject().put("vosk", new JsonObject().put("modelPath", notAModel.toString())))));
    Api api = new Api(server.vertx(), server.port());
    try {
      String ann = api.token("Ann", TestServer.freshTenant("degraded"));
      String id = api.createMeeting(ann, "No captions today");
      api.join(ann, id);
      AudioClient mic = AudioClient.connect(server.vertx(), server.port(), ann, id, "en-US").await();
      assertEquals((short) 1011, mic.closed.future().timeout(10, TimeUnit.SECONDS).await());
      Api.Response ready = api.get("/health/ready", null);
      assertEquals(200, ready.status(), "the server is still ready to hold meetings");
      assertEquals("degraded", ready.json().getString("status"));
      assertEquals("down", ready.json().getJsonObject("checks").getJsonObject("stt").getString("status"));
      BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ann).await();
      assertTrue(b.request("chat.send", new JsonObject().put("meetingId", id).put("text", "still here").put("clientId", "c"))
        .await().getLong("seq") > 0);
      b.close().await();
    } finally {
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("with the translator down, captions still arrive (untranslated), the failure is counted, and audio is metered")
  void deadTranslator() throws Exception {
    Parley server = TestServer.start(new JsonObject().put("ai", new JsonObject().put("translation", new JsonObject()
      .put("provider", "apertium").put("timeoutMs", 500)
      .put("apertium", new JsonObject().put("manage", false).put("url", "http://127.0.0.1:" + TestServer.freePort())))));
    Api api = new Api(server.vertx(), server.port());
    try {
      String tenant = TestServer.freshTenant("degraded");
      String ann = api.token("Ann", tenant, "admin");
      String ben = api.token("Ben", tenant);
      String id = api.createMeeting(ann, "Untranslated");
      api.join(ann, id);
      api.join(ben, id);
      BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
      List<JsonObject> captions = new CopyOnWriteArrayList<>();
      b.register("meeting." + id + ".captions", id, captions::add).await();
      b.request("captions.language", new JsonObject().put("meetingId", id).put("lang", "es")).await();
      AudioClient mic = AudioClient.connect(server.vertx(), server.port(), ann, id, "en-US").await();
      mic.stream(server.vertx(), Wer.pcm("welcome.wav"), 3200, 10, true).await();
      assertEquals((short) 1000, mic.closed.future().timeout(20, TimeUnit.SECONDS).await());
      Poll.until(Duration.ofSeconds(10), () -> captions.stream().anyMatch(c -> c.getBoolean("final")), "a final caption arrives");
      JsonObject fin = captions.stream().filter(c -> c.getBoolean("final")).findFirst().orElse(null);
      assertNotNull(fin, "the caption went out without its translation: " + captions);
      assertTrue(fin.getJsonObject("translations").isEmpty());
      String metrics = api.get("/metrics", null).body();
      assertTrue(metrics.matches("(?s).*parley_ai_requests_total\\{outcome=\"(error|timeout)\",provider=\"apertium\",service=\"translation\"\\} [1-9].*"),
        "the failure is counted");
      assertEquals("down", api.get("/health/ready", null).json().getJsonObject("checks").getJsonObject("translation").getString("status"));
      // usage is recorded asynchronously after the socket closes
      JsonObject[] usage = new JsonObject[1];
      Poll.until(() -> {
        usage[0] = api.get("/api/v1/usage", ann).json();
        return usage[0].getJsonArray("ai").stream().map(JsonObject.class::cast).anyMatch(u -> "stt".equals(u.getString("service")));
      }, "the audio's usage is recorded");
      assertTrue(usage[0].getJsonArray("ai").stream().map(JsonObject.class::cast)
        .anyMatch(u -> "stt".equals(u.getString("service")) && u.getDouble("units") > 1.0), "audio seconds are metered: " + usage[0]);
      b.close().await();
    } finally {
      api.close();
      server.stop().await();
    }
  }
}

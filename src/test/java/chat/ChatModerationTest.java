package chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Chat moderation: PII redacted and threats blocked before anything is stored or broadcast")
class ChatModerationTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("an e-mail address is stored and delivered as [EMAIL]; a threat gets 422 and is not stored; counts show in /metrics")
  void moderatedChat() {
    String tenant = TestServer.freshTenant("mod");
    String ann = api.token("Ann", tenant, "admin");
    String id = api.createMeeting(ann, "Moderated");
    api.join(ann, id);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    JsonObject reply = a.request("chat.send", new JsonObject().put("meetingId", id)
      .put("text", "write to jane@example.com").put("clientId", "m1")).await();
    assertEquals("redact", reply.getJsonObject("moderation").getString("action"));
    assertEquals(new JsonArray().add("pii.email"), reply.getJsonObject("moderation").getJsonArray("categories"));
    BridgeClient.BridgeError blocked = assertThrows(BridgeClient.BridgeError.class, () -> a.request("chat.send",
      new JsonObject().put("meetingId", id).put("text", "I will kill you").put("clientId", "m2")).await());
    assertEquals(422, blocked.code);
    assertTrue(blocked.getMessage().contains("violent"), blocked.getMessage());

    JsonArray history = api.get("/api/v1/meetings/" + id + "/chat", ann).array("messages");
    assertEquals(1, history.size());
    assertEquals("write to [EMAIL]", history.getJsonObject(0).getString("text"));
    assertFalse(history.encode().contains("jane@example.com"));

    assertEquals(200, api.put("/api/v1/tenant", ann, new JsonObject().put("moderation", new JsonObject().put("pii", "block"))).status());
    assertEquals(400, api.put("/api/v1/tenant", ann, new JsonObject().put("moderation", new JsonObject().put("pii", "sometimes"))).status());
    String metrics = api.get("/metrics", null).body();
    assertTrue(metrics.contains("parley_moderation_actions_total{action=\"redact\",category=\"pii.email\"}"), "redactions are counted");
    assertTrue(metrics.contains("parley_moderation_actions_total{action=\"block\",category=\"violence\"}"), "blocks are counted");
    a.close().await();
  }
}

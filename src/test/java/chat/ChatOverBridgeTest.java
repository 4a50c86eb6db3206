package chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Chat over the bridge: persisted, published, idempotent, replayable")
class ChatOverBridgeTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String ann;
  static String ben;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("chat", new JsonObject().put("maxTextLength", 500)));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("chat");
    ann = api.token("Ann", tenant);
    ben = api.token("Ben", tenant);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  private static String meetingWithBoth() {
    String id = api.createMeeting(ann, "Chat room");
    api.join(ann, id);
    api.join(ben, id);
    return id;
  }

  private static JsonObject chat(String meetingId, String text, String clientId) {
    return new JsonObject().put("meetingId", meetingId).put("text", text).put("clientId", clientId);
  }

  @Test
  @DisplayName("a message reaches the other participant stamped with the server's idea of the sender")
  void deliveredWithServerStampedSender() throws Exception {
    String id = meetingWithBoth();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    b.register("meeting." + id + ".chat", id, received::add).await();

    JsonObject forged = chat(id, "hello Ben", "m-1").put("senderId", "someone-else").put("senderName", "The CEO");
    JsonObject reply = a.request("chat.send", forged, new JsonObject()
      .put("x-parley-identity", new JsonObject().put("userId", "forged").put("tenant", tenant).encode())).await();
    assertEquals(1L, reply.getLong("seq"));
    assertNotNull(reply.getString("id"));
    assertEquals("allow", reply.getJsonObject("moderation").getString("action"));

    JsonObject message = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(message, "Ben receives Ann's message");
    assertEquals("hello Ben", message.getString("text"));
    assertEquals(api.userId(ann), message.getString("senderId"));
    assertEquals("Ann", message.getString("senderName"));
    assertEquals(reply.getString("id"), message.getString("id"));
    assertEquals(1L, message.getLong("seq"));
    assertNotNull(message.getString("ts"));
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("a retried send with the same clientId returns the first result and is not stored or published twice")
  void idempotentOnClientId() throws Exception {
    String id = meetingWithBoth();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    b.register("meeting." + id + ".chat", id, received::add).await();

    JsonObject first = a.request("chat.send", chat(id, "only once", "retry-1")).await();
    JsonObject second = a.request("chat.send", chat(id, "only once", "retry-1")).await();
    assertEquals(first.getString("id"), second.getString("id"));
    assertEquals(first.getLong("seq"), second.getLong("seq"));
    assertTrue(second.getBoolean("duplicate"));
    JsonObject after = a.request("chat.send", chat(id, "next", "retry-2")).await();
    assertEquals(first.getLong("seq") + 1, after.getLong("seq"), "no seq was used up by the duplicate");

    long deadline = System.currentTimeMillis() + 5000;
    while (received.size() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(List.of("only once", "next"), received.stream().map(m -> m.getString("text")).toList());
    assertEquals(2, api.get("/api/v1/meetings/" + id + "/chat", ben).array("messages").size());
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("a client that reconnects asks for chat after its last seq and misses nothing")
  void replayAfterReconnect() throws Exception {
    String id = meetingWithBoth();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    b.register("meeting." + id + ".chat", id, received::add).await();
    a.request("chat.send", chat(id, "before drop", "r-0")).await();
    long lastSeq = received.poll(5, TimeUnit.SECONDS).getLong("seq");
    b.close().await();

    for (int i = 1; i <= 3; i++) {
      a.request("chat.send", chat(id, "while away " + i, "r-" + i)).await();
    }
    BridgeClient b2 = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    b2.register("meeting." + id + ".chat", id, received::add).await();
    JsonObject page = api.get("/api/v1/meetings/" + id + "/chat?after=" + lastSeq, ben).json();
    JsonArray missed = page.getJsonArray("messages");
    assertEquals(3, missed.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(lastSeq + i + 1, missed.getJsonObject(i).getLong("seq"));
      assertEquals("while away " + (i + 1), missed.getJsonObject(i).getString("text"));
    }
    assertEquals(lastSeq + 3, page.getLong("lastSeq"));
    assertEquals(2, api.get("/api/v1/meetings/" + id + "/chat?after=" + lastSeq + "&limit=2", ben).array("messages").size());
    a.close().await();
    b2.close().await();
  }

  @Test
  @DisplayName("bad chat input gets the contract's codes: 400, 413, 403, 409")
  void badInput() {
    String id = meetingWithBoth();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", new JsonObject().put("meetingId", id).put("text", "no client id")).await()).code);
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", chat(id, "", "empty")).await()).code);
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", new JsonObject().put("meetingId", id).put("text", 5).put("clientId", "x")).await()).code);
    assertEquals(400, assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", "just a string", null).await()).code);
    assertEquals(413, assertThrows(BridgeClient.BridgeError.class,
      () -> a.request("chat.send", chat(id, "y".repeat(501), "long")).await()).code);

    String stranger = api.token("Stranger", tenant);
    BridgeClient s = BridgeClient.connect(server.vertx(), server.port(), stranger).await();
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
      () -> s.request("chat.send", chat(id, "let me in", "s-1")).await()).code);

    api.post("/api/v1/meetings/" + id + "/end", ann, null);
    BridgeClient a2 = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    assertEquals(409, assertThrows(BridgeClient.BridgeError.class,
      () -> a2.request("chat.send", chat(id, "too late", "late")).await()).code);
    assertEquals(0, api.get("/api/v1/meetings/" + id + "/chat", ann).array("messages").size(), "nothing was stored");
    a.close().await();
    a2.close().await();
    s.close().await();
  }

  @Test
  @DisplayName("a participant who has left cannot chat even while the gateway still trusts its cached membership: 403, nothing stored")
  void leftParticipantCannotChat() {
    String id = meetingWithBoth();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    b.request("presence.ping", new JsonObject().put("meetingId", id)).await(); // the gateway now caches Ben as present
    assertEquals(200, api.post("/api/v1/meetings/" + id + "/leave", ben, null).status());
    assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
      () -> b.request("chat.send", chat(id, "still here?", "gone-1")).await()).code);
    assertEquals(0, api.get("/api/v1/meetings/" + id + "/chat", ann).array("messages").size(), "nothing was stored");
    b.close().await();
  }

  @Test
  @DisplayName("a socket sending chat faster than the limit gets 429 for the excess")
  void rateLimited() {
    String id = meetingWithBoth();
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    int ok = 0;
    int limited = 0;
    for (int i = 0; i < 30; i++) {
      try {
        a.request("chat.send", chat(id, "spam " + i, "spam-" + i)).await();
        ok++;
      } catch (BridgeClient.BridgeError e) {
        assertEquals(429, e.code);
        limited++;
      }
    }
    assertTrue(limited > 0, "some sends were limited");
    assertTrue(ok >= 10, "the burst was allowed: " + ok);
    assertEquals(ok, api.get("/api/v1/meetings/" + id + "/chat?limit=100", ann).array("messages").size());
    a.close().await();
  }
}

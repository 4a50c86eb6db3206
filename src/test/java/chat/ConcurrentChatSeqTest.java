package chat;

import io.vertx.core.Future;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Chat seq stays gapless and unique with concurrent senders on two chat verticle instances")
class ConcurrentChatSeqTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
      .put("verticles", new JsonObject().put("chat", new JsonObject().put("instances", 2))
        .put("gateway", new JsonObject().put("instances", 2)))
      .put("chat", new JsonObject().put("ratePerSecond", 100_000).put("burst", 100_000))
      // every in-flight request holds a reply handler on its socket
      .put("bridge", new JsonObject().put("maxHandlersPerSocket", 100)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("4 sockets x 40 messages, all in flight at once: seq is exactly 1..160 and every message is stored once")
  void gaplessUnderConcurrency() {
    String tenant = TestServer.freshTenant("conc");
    String host = api.token("Host", tenant);
    String meetingId = api.createMeeting(host, "Busy");
    int senders = 4;
    int perSender = 40;
    List<BridgeClient> clients = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      String token = s == 0 ? host : api.token("Sender " + s, tenant);
      api.join(token, meetingId);
      clients.add(BridgeClient.connect(server.vertx(), server.port(), token).await());
    }
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < perSender; i++) {
      for (int s = 0; s < senders; s++) {
        sends.add(clients.get(s).request("chat.send", new JsonObject().put("meetingId", meetingId)
          .put("text", "sender " + s + " message " + i).put("clientId", "s" + s + "-" + i)));
      }
    }
    Future.all(sends).await();
    Set<Long> replySeqs = new HashSet<>();
    sends.forEach(f -> replySeqs.add(f.result().getLong("seq")));
    assertEquals(senders * perSender, replySeqs.size(), "every send got its own seq");

    JsonArray history = api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", host).array("messages");
    assertEquals(senders * perSender, history.size());
    Set<String> texts = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      assertEquals(i + 1L, history.getJsonObject(i).getLong("seq"), "seq has no gap at position " + i);
      assertTrue(texts.add(history.getJsonObject(i).getString("text")), "no message stored twice");
    }
    clients.forEach(c -> c.close().await());
  }

  @Test
  @DisplayName("the same clientId sent 20 times at once from 2 sockets is stored once; every reply names that one message and the next seq follows it with no gap")
  void concurrentRetriesStoreOnce() {
    String tenant = TestServer.freshTenant("dup");
    String host = api.token("Host", tenant);
    String meetingId = api.createMeeting(host, "Retries");
    api.join(host, meetingId);
    List<BridgeClient> clients = List.of(BridgeClient.connect(server.vertx(), server.port(), host).await(),
      BridgeClient.connect(server.vertx(), server.port(), host).await());
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(clients.get(i % 2).request("chat.send", new JsonObject().put("meetingId", meetingId)
        .put("text", "only once").put("clientId", "retry-1")));
    }
    Future.all(sends).await();
    Set<String> ids = new HashSet<>();
    sends.forEach(f -> {
      ids.add(f.result().getString("id"));
      assertEquals(1L, f.result().getLong("seq"));
    });
    assertEquals(1, ids.size(), "every reply names the same stored message");
    assertEquals(2L, clients.get(0).request("chat.send", new JsonObject().put("meetingId", meetingId)
      .put("text", "next").put("clientId", "retry-2")).await().getLong("seq"), "no seq was used up by the retries");
    assertEquals(2, api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", host).array("messages").size());
    clients.forEach(c -> c.close().await());
  }
}

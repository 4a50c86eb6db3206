package chat;

import io.vertx.core.Future;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commits: sends to one meeting that arrive together are stored by one statement; each keeps
 * its own checks (a sender who has left is refused, a repeated clientId answers with the first
 * result) while the others in the same statement are stored with consecutive seqs.
 */
@DisplayName("Chat group commits: sends arriving together are stored together, each checked and acknowledged on its own")
class ChatGroupCommitTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
      .put("chat", new JsonObject().put("ratePerSecond", 100_000).put("burst", 100_000).put("maxRowsPerCommit", 8))
      // a long membership cache: the gateway lets the sender who left through, so the statement itself must refuse him
      .put("bridge", new JsonObject().put("maxHandlersPerSocket", 100).put("membershipCacheMs", 600_000)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("3 senders x 30 at once, with a left sender's and repeated clientIds among them: stored 1..90 gapless, the left one 403, a repeat answered with the message stored for its clientId")
  void mixedBatch() {
    String tenant = TestServer.freshTenant("group");
    String host = api.token("Host", tenant);
    String meetingId = api.createMeeting(host, "Together");
    List<BridgeClient> clients = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int s = 0; s < 4; s++) {
      String token = s == 0 ? host : api.token("Sender " + s, tenant);
      api.join(token, meetingId);
      tokens.add(token);
      clients.add(BridgeClient.connect(server.vertx(), server.port(), token).await());
    }
    BridgeClient leaver = clients.get(3);
    leaver.request("presence.ping", new JsonObject().put("meetingId", meetingId)).await(); // membership now cached
    assertEquals(200, api.post("/api/v1/meetings/" + meetingId + "/leave", tokens.get(3), new JsonObject()).status());

    List<Future<JsonObject>> stored = new ArrayList<>();
    List<Future<JsonObject>> repeats = new ArrayList<>();
    List<Future<JsonObject>> refused = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      for (int s = 0; s < 3; s++) {
        JsonObject body = new JsonObject().put("meetingId", meetingId).put("text", "sender " + s + " message " + i)
          .put("clientId", "g" + s + "-" + i);
        stored.add(clients.get(s).request("chat.send", body));
        if (i % 10 == 0) {
          repeats.add(clients.get(s).request("chat.send", body.copy().put("text", "a retry")));
        }
      }
      refused.add(leaver.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "still here?")
        .put("clientId", "left-" + i)));
    }
    Future.join(new ArrayList<Future<?>>() {{ addAll(stored); addAll(repeats); addAll(refused); }}).otherwiseEmpty().await();

    Set<Long> seqs = new HashSet<>();
    stored.forEach(f -> {
      assertTrue(f.succeeded(), "every present sender's send is stored: " + f.cause());
      seqs.add(f.result().getLong("seq"));
    });
    for (Future<JsonObject> f : refused) {
      assertTrue(f.failed(), "the sender who left is refused");
      assertEquals(403, ((BridgeClient.BridgeError) f.cause()).code);
    }
    for (Future<JsonObject> f : repeats) {
      assertTrue(f.succeeded(), "a repeated clientId is answered: " + f.cause());
      assertTrue(seqs.contains(f.result().getLong("seq")), "with the seq of a stored message");
    }
    assertEquals(90, seqs.size(), "every stored send got its own seq");

    JsonArray history = api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", host).array("messages");
    assertEquals(90, history.size(), "nothing of the left sender, no clientId stored twice");
    Set<String> clientIds = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      JsonObject message = history.getJsonObject(i);
      assertEquals(i + 1L, message.getLong("seq"), "seq has no gap at position " + i);
      assertTrue(clientIds.add(message.getString("clientId")), "one row per clientId: " + message);
    }
    // whichever of two sends with one clientId was stored first, both are answered with that message
    for (int k = 0; k < repeats.size(); k++) {
      int s = k % 3;
      int i = (k / 3) * 10;
      JsonObject original = stored.get(i * 3 + s).result();
      assertEquals(original.getString("id"), repeats.get(k).result().getString("id"), "same message for g" + s + "-" + i);
      assertEquals(original.getLong("seq"), repeats.get(k).result().getLong("seq"));
    }
    clients.forEach(c -> c.close().await());
  }
}

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Group commits: sends to one meeting that arrive together are stored by one statement; each keeps
 * its own checks (a sender who has left is refused, a repeated clientId answers with the first
 * result) while the others in the same statement are stored with consecutive seqs. Sends to several
 * meetings that wait together share one statement, each meeting's seqs still gapless.
 */
@DisplayName("Chat group commits: sends arriving together are stored together, each checked and acknowledged on its own")
class ChatGroupCommitTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
      .put("chat", new JsonObject().put("ratePerSecond", 100_000).put("burst", 100_000).put("maxRowsPerCommit", 8)
        .put("statementsInFlight", 1))
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

  @Test
  @DisplayName("3 meetings x 2 senders x 20 at once: statements for several meetings store them all, each meeting 1..40 gapless with each sender's 20 once; a left sender among them 403, a repeated clientId answered with the first")
  void severalMeetings() {
    String tenant = TestServer.freshTenant("group-many");
    String host = api.token("Host", tenant);
    List<String> meetings = new ArrayList<>();
    List<List<BridgeClient>> senders = new ArrayList<>();
    List<String> leaverTokens = new ArrayList<>();
    List<BridgeClient> leavers = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      String meetingId = api.createMeeting(host, "Room " + m);
      api.join(host, meetingId);
      meetings.add(meetingId);
      List<BridgeClient> inRoom = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        String token = api.token("Sender " + m + "." + s, tenant);
        api.join(token, meetingId);
        inRoom.add(BridgeClient.connect(server.vertx(), server.port(), token).await());
      }
      senders.add(inRoom);
    }
    // one sender in the second meeting leaves (the gateway's membership cache still lets him through)
    String leaverToken = api.token("Leaver", tenant);
    api.join(leaverToken, meetings.get(1));
    BridgeClient leaver = BridgeClient.connect(server.vertx(), server.port(), leaverToken).await();
    leaver.request("presence.ping", new JsonObject().put("meetingId", meetings.get(1))).await();
    assertEquals(200, api.post("/api/v1/meetings/" + meetings.get(1) + "/leave", leaverToken, new JsonObject()).status());
    double severalBefore = statements("several");

    List<Future<JsonObject>> stored = new ArrayList<>();
    List<Future<JsonObject>> refused = new ArrayList<>();
    List<Future<JsonObject>> repeats = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      for (int m = 0; m < 3; m++) {
        for (int s = 0; s < 2; s++) {
          JsonObject body = new JsonObject().put("meetingId", meetings.get(m)).put("text", "m" + m + " s" + s + " #" + i)
            .put("clientId", "c" + m + "-" + s + "-" + i);
          stored.add(senders.get(m).get(s).request("chat.send", body));
          if (i == 5 && s == 0) {
            repeats.add(senders.get(m).get(s).request("chat.send", body.copy().put("text", "a retry")));
          }
        }
      }
      if (i % 5 == 0) {
        refused.add(leaver.request("chat.send", new JsonObject().put("meetingId", meetings.get(1)).put("text", "gone")
          .put("clientId", "gone-" + i)));
      }
    }
    Future.join(new ArrayList<Future<?>>() {{ addAll(stored); addAll(refused); addAll(repeats); }}).otherwiseEmpty().await();

    stored.forEach(f -> assertTrue(f.succeeded(), "every present sender's send is stored: " + f.cause()));
    for (Future<JsonObject> f : refused) {
      assertTrue(f.failed(), "the sender who left is refused");
      assertEquals(403, ((BridgeClient.BridgeError) f.cause()).code);
    }
    for (int m = 0; m < 3; m++) {
      JsonObject original = stored.get(5 * 6 + m * 2).result();
      assertTrue(repeats.get(m).succeeded(), "a repeated clientId is answered: " + repeats.get(m).cause());
      assertEquals(original.getString("id"), repeats.get(m).result().getString("id"), "with the message first stored for it");
    }
    for (int m = 0; m < 3; m++) {
      JsonArray history = api.get("/api/v1/meetings/" + meetings.get(m) + "/chat?limit=500", host).array("messages");
      assertEquals(40, history.size(), "meeting " + m + " holds its 40 messages and nothing else");
      Set<String> clientIds = new HashSet<>();
      for (int k = 0; k < history.size(); k++) {
        JsonObject message = history.getJsonObject(k);
        assertEquals(k + 1L, message.getLong("seq"), "meeting " + m + ": no gap at position " + k);
        assertTrue(message.getString("clientId").startsWith("c" + m + "-"), "only this meeting's messages: " + message);
        assertTrue(clientIds.add(message.getString("clientId")), "one row per clientId: " + message);
      }
    }
    assertTrue(statements("several") > severalBefore,
      "some statements stored sends to several meetings at once (parley_chat_statements_total{meetings=\"several\"})");
    String exposition = api.get("/metrics", null).body();
    Matcher rows = Pattern.compile("(?m)^parley_chat_statement_rows_total ([0-9.eE+-]+)$").matcher(exposition);
    assertTrue(rows.find(), "parley_chat_statement_rows_total is exposed");
    assertTrue(Double.parseDouble(rows.group(1)) > statements("one") + statements("several"),
      "group statements stored more rows than there were statements");
    senders.forEach(room -> room.forEach(c -> c.close().await()));
    leaver.close().await();
  }

  private static double statements(String meetings) {
    String exposition = api.get("/metrics", null).body();
    Matcher m = Pattern.compile("(?m)^parley_chat_statements_total\\{[^}]*meetings=\"" + meetings + "\"[^}]*\\} ([0-9.eE+-]+)$")
      .matcher(exposition);
    assertTrue(m.find(), "parley_chat_statements_total{meetings=\"" + meetings + "\"} is exposed");
    return Double.parseDouble(m.group(1));
  }
}

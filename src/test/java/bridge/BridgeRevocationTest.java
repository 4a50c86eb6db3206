package bridge;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.MeetingSocket;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leaving or a meeting's end takes a socket out of the meeting at once: registrations are revoked
 * ({@code parley.bridge.revoke}), not just sends refused. Absence is proven behind a barrier: a
 * control participant on the same server receives the probes, then a round trip on the revoked
 * socket is answered, so any probe written to it would have arrived before that answer.
 * (The membership cache is 60 s in tests: only a revocation can stop delivery this quickly.)
 */
@DisplayName("Revocation: a socket that left, or whose meeting ended, gets nothing more from the meeting")
class BridgeRevocationTest {

  static Parley server;
  static Api api;
  static String tenant;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("revoke");
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  record People(String meetingId, String ann, String ben, String cat, String benId, String catId) {
  }

  static People meeting(String title) {
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben " + title, tenant);
    String cat = api.token("Cat " + title, tenant);
    String id = api.createMeeting(ann, title);
    for (String t : List.of(ann, ben, cat)) {
      assertEquals(200, api.join(t, id).status());
    }
    return new People(id, ann, ben, cat, api.userId(ben), api.userId(cat));
  }

  /**
   * Publishes a probe to every address of the meeting (and to both people's signal addresses),
   * as the services do, plus a chat message over the bridge when {@code chatFrom} is given.
   */
  static void probe(String meetingId, String marker, List<String> signalTargets, BridgeClient chatFrom) {
    EventBus eb = server.vertx().eventBus();
    JsonObject body = new JsonObject().put("probe", marker);
    eb.publish("meeting." + meetingId, body.copy().put("type", "media"));
    eb.publish("meeting." + meetingId + ".captions", body.copy().put("text", marker).put("final", true));
    for (String target : signalTargets) {
      eb.publish("meeting." + meetingId + ".signal." + target, body.copy().put("kind", "offer"));
    }
    if (chatFrom != null) {
      chatFrom.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "chat " + marker)
        .put("clientId", UUID.randomUUID().toString())).await();
    }
  }

  @Test
  @DisplayName("a participant who leaves over REST while registered gets no more chat, events, captions or signals, and cannot register again")
  void leaveRevokes() {
    People p = meeting("Leaving");
    BridgeClient annBridge = BridgeClient.connect(server.vertx(), server.port(), p.ann()).await();
    MeetingSocket ben = MeetingSocket.open(server.vertx(), server.port(), p.ben(), p.benId(), p.meetingId(),
      "events", "chat", "signal");
    MeetingSocket cat = MeetingSocket.open(server.vertx(), server.port(), p.cat(), p.catId(), p.meetingId(),
      "events", "chat", "captions", "signal");
    try {
      // Before: Ben gets everything.
      probe(p.meetingId(), "before-leave", List.of(p.benId(), p.catId()), annBridge);
      Poll.until(() -> ben.carrying("before-leave").size() == 3, "Ben receives the event, chat and signal probes");

      assertEquals(200, api.post("/api/v1/meetings/" + p.meetingId() + "/leave", p.ben(), null).status());
      MeetingSocket.awaitUncounted(server.vertx(), tenant, p.meetingId(), p.benId());

      probe(p.meetingId(), "after-leave", List.of(p.benId(), p.catId()), annBridge);
      Poll.until(() -> cat.carrying("after-leave").size() == 4, "Cat receives the event, chat, caption and signal probes");
      // The barrier: Ben's socket answers a frame sent after the probes (403: he is not in the meeting).
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class, () -> ben.bridge.request("presence.ping",
        new JsonObject().put("meetingId", p.meetingId())).await()).code);
      assertEquals(List.of(), ben.carrying("after-leave"), "nothing published after the leave reaches Ben's socket");
      assertTrue(ben.on("events").stream().noneMatch(e -> "left".equals(e.getString("type")) && p.benId().equals(e.getString("userId"))),
        "not even the news of his own leaving");

      // The membership cache is forgotten: a new registration and a chat send are checked afresh.
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class,
        () -> ben.bridge.registerExpectingRefusal("meeting." + p.meetingId() + ".captions").await()).code);
      assertEquals(403, assertThrows(BridgeClient.BridgeError.class, () -> ben.bridge.request("chat.send",
        new JsonObject().put("meetingId", p.meetingId()).put("text", "still here?").put("clientId", "gone-1")).await()).code);
      assertTrue(api.get("/api/v1/meetings/" + p.meetingId() + "/chat?limit=500", p.ann()).array("messages").stream()
        .noneMatch(m -> "still here?".equals(((JsonObject) m).getString("text"))), "nothing was stored");
    } finally {
      annBridge.close().otherwiseEmpty().await();
      ben.close();
      cat.close();
    }
  }

  @Test
  @DisplayName("someone who leaves and joins again on the same socket registers again and receives again")
  void rejoinOnTheSameSocket() {
    People p = meeting("Rejoining");
    BridgeClient annBridge = BridgeClient.connect(server.vertx(), server.port(), p.ann()).await();
    MeetingSocket ben = MeetingSocket.open(server.vertx(), server.port(), p.ben(), p.benId(), p.meetingId(), "chat", "signal");
    try {
      api.post("/api/v1/meetings/" + p.meetingId() + "/leave", p.ben(), null);
      MeetingSocket.awaitUncounted(server.vertx(), tenant, p.meetingId(), p.benId());
      assertEquals(200, api.join(p.ben(), p.meetingId()).status());
      // The same addresses again, on the same socket: accepted (no "already registered").
      ben.register("chat").await();
      ben.register("signal").await();
      probe(p.meetingId(), "after-rejoin", List.of(p.benId()), annBridge);
      // (each message is recorded twice now: the client keeps both registrations' handlers)
      Poll.until(() -> ben.on("chat").stream().anyMatch(m -> m.encode().contains("after-rejoin"))
        && ben.on("signal").stream().anyMatch(m -> m.encode().contains("after-rejoin")), "Ben receives the chat and the signal again");
      assertTrue(ben.bridge.generalErrors.isEmpty(), ben.bridge.generalErrors.toString());
    } finally {
      annBridge.close().otherwiseEmpty().await();
      ben.close();
    }
  }

  @Test
  @DisplayName("when the host ends the meeting, everyone hears 'ended' and then nothing more")
  void endRevokesEveryone() {
    People p = meeting("Ending");
    MeetingSocket ben = MeetingSocket.open(server.vertx(), server.port(), p.ben(), p.benId(), p.meetingId(),
      "events", "chat", "captions", "signal");
    MeetingSocket cat = MeetingSocket.open(server.vertx(), server.port(), p.cat(), p.catId(), p.meetingId(),
      "events", "chat", "captions", "signal");
    try {
      assertEquals(200, api.post("/api/v1/meetings/" + p.meetingId() + "/end", p.ann(), null).status());
      for (MeetingSocket s : List.of(ben, cat)) {
        Poll.until(() -> s.on("events").stream().anyMatch(e -> "ended".equals(e.getString("type"))), s.userId + " hears ended");
      }
      // Nobody is left to act as a control; the barrier is each socket's own round trip (409: ended),
      // sent after the probes were published in this JVM.
      String probeMarker = "after-end";
      probe(p.meetingId(), probeMarker, List.of(p.benId(), p.catId()), null);
      for (MeetingSocket s : List.of(ben, cat)) {
        assertEquals(409, assertThrows(BridgeClient.BridgeError.class, () -> s.bridge.request("presence.ping",
          new JsonObject().put("meetingId", p.meetingId())).await()).code);
      }
      assertEquals(List.of(), ben.carrying(probeMarker));
      assertEquals(List.of(), cat.carrying(probeMarker));
    } finally {
      ben.close();
      cat.close();
    }
  }
}

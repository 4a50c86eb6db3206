package meeting;

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
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Presence: heartbeats, hands, and a 'left' event after a closed socket's grace period")
class PresenceTest {

  static Parley server;
  static Api api;
  static String tenant;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("pres");
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("presence.ping answers with who is present, and a raised hand is seen by everyone")
  void pingAndHands() throws Exception {
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben", tenant);
    String id = api.createMeeting(ann, "Hands");
    api.join(ann, id);
    api.join(ben, id);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient b = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    b.register("meeting." + id, id, events::add).await();

    JsonArray present = a.request("presence.ping", new JsonObject().put("meetingId", id)).await().getJsonArray("participants");
    assertEquals(2, present.size());

    a.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", true)).await();
    JsonObject hand = poll(events, "hand");
    assertEquals(api.userId(ann), hand.getString("userId"));
    assertTrue(hand.getBoolean("raised"));
    JsonArray after = api.get("/api/v1/meetings/" + id + "/participants", ben).array("participants");
    assertTrue(after.stream().map(JsonObject.class::cast)
      .anyMatch(p -> p.getString("userId").equals(api.userId(ann)) && p.getBoolean("handRaised")));
    a.close().await();
    b.close().await();
  }

  @Test
  @DisplayName("when a participant's last socket closes, others get 'left' after the grace period and the list drops them")
  void leftAfterGrace() throws Exception {
    String ann = api.token("Ann", tenant);
    String cat = api.token("Cat", tenant);
    String id = api.createMeeting(ann, "Drops");
    api.join(ann, id);
    api.join(cat, id);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient c = BridgeClient.connect(server.vertx(), server.port(), cat).await();
    LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    a.register("meeting." + id, id, events::add).await();
    c.register("meeting." + id, id, e -> { }).await();

    c.close().await();
    JsonObject left = poll(events, "left");
    assertEquals(api.userId(cat), left.getString("userId"));
    assertEquals("disconnected", left.getString("reason"));
    JsonArray present = api.get("/api/v1/meetings/" + id + "/participants", ann).array("participants");
    assertEquals(List.of(api.userId(ann)), present.stream().map(p -> ((JsonObject) p).getString("userId")).toList());
    a.close().await();
  }

  @Test
  @DisplayName("a participant who reconnects within the grace period produces no 'left' event")
  void reconnectWithinGrace() throws Exception {
    String ann = api.token("Ann", tenant);
    String dan = api.token("Dan", tenant);
    String id = api.createMeeting(ann, "Blips");
    api.join(ann, id);
    api.join(dan, id);
    BridgeClient a = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    a.register("meeting." + id, id, events::add).await();
    BridgeClient d = BridgeClient.connect(server.vertx(), server.port(), dan).await();
    d.register("meeting." + id, id, e -> { }).await();
    d.close().await();
    BridgeClient d2 = BridgeClient.connect(server.vertx(), server.port(), dan).await();
    d2.register("meeting." + id, id, e -> { }).await();
    // The grace period is 1 s in tests; wait past it, then make sure the event stream has moved on.
    Thread.sleep(2_500);
    a.request("meeting.hand", new JsonObject().put("meetingId", id).put("raised", false)).await();
    Poll.until(() -> events.stream().anyMatch(e -> "hand".equals(e.getString("type"))), "the stream is live: the hand event arrives");
    assertTrue(events.stream().noneMatch(e -> "left".equals(e.getString("type"))), "no left event: " + events);
    a.close().await();
    d2.close().await();
  }

  private static JsonObject poll(LinkedBlockingQueue<JsonObject> events, String type) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonObject e = events.poll(200, TimeUnit.MILLISECONDS);
      if (e != null && type.equals(e.getString("type"))) {
        return e;
      }
    }
    assertNotNull(null, "no '" + type + "' event arrived");
    return null;
  }
}

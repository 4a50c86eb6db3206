package chat;

import io.vertx.core.Future;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fan-out of chat to many sockets: each gateway instance has one consumer per meeting address, which
 * encodes a message once and writes that frame to every socket registered for it, so each socket must
 * still get each message's own content, each once, nothing of another meeting's, and nothing after
 * it unregisters.
 */
@DisplayName("Chat fan-out: every socket of a meeting gets every message once, with its own content")
class ChatFanOutTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("chat", new JsonObject().put("ratePerSecond", 1000).put("burst", 1000)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("6 sockets in two meetings, 10 messages sent at once to each: each socket gets exactly its meeting's 10, with their own texts and ids, seq 1..10")
  void eachSocketGetsItsMeetingsMessages() {
    String tenant = TestServer.freshTenant("fanout");
    String host = api.token("Host", tenant);
    String[] meetings = {api.createMeeting(host, "Left"), api.createMeeting(host, "Right")};
    List<BridgeClient> receivers = new ArrayList<>();
    List<List<JsonObject>> received = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String meeting = meetings[i % 2];
      String token = api.token("Guest " + i, tenant);
      api.join(token, meeting);
      BridgeClient client = BridgeClient.connect(server.vertx(), server.port(), token).await();
      List<JsonObject> inbox = new CopyOnWriteArrayList<>();
      client.register("meeting." + meeting + ".chat", meeting, inbox::add).await();
      receivers.add(client);
      received.add(inbox);
    }
    api.join(host, meetings[0]);
    api.join(host, meetings[1]);
    BridgeClient sender = BridgeClient.connect(server.vertx(), server.port(), host).await();
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int n = 1; n <= 10; n++) {
      for (int m = 0; m < 2; m++) {
        sends.add(sender.request("chat.send", new JsonObject().put("meetingId", meetings[m])
          .put("text", "meeting " + m + " message " + n).put("clientId", "m" + m + "-" + n)));
      }
    }
    Future.all(sends).await();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (received.stream().anyMatch(inbox -> inbox.size() < 10) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    // what the server stored, per meeting and seq, as the replies say
    java.util.Map<String, JsonObject> stored = new java.util.HashMap<>();
    for (int s = 0; s < sends.size(); s++) {
      JsonObject reply = sends.get(s).result();
      stored.put((s % 2) + "/" + reply.getLong("seq"), reply);
    }
    for (int i = 0; i < 6; i++) {
      // concurrent sends are published as each commits, so arrival order may differ from seq order
      // (the contract's promise is seq: strictly increasing, no gaps); compare in seq order
      List<JsonObject> inbox = new ArrayList<>(received.get(i));
      inbox.sort(java.util.Comparator.comparingLong(m -> m.getLong("seq")));
      received.set(i, inbox);
      assertEquals(10, inbox.size(), "socket " + i + " got " + inbox);
      for (int k = 0; k < 10; k++) {
        JsonObject message = inbox.get(k);
        assertEquals(k + 1L, message.getLong("seq"), "socket " + i + ": seq 1..10, each once");
        JsonObject reply = stored.get((i % 2) + "/" + message.getLong("seq"));
        assertEquals(reply.getString("id"), message.getString("id"), "socket " + i + ", seq " + (k + 1));
        assertEquals(reply.getString("text"), message.getString("text"));
        assertTrue(message.getString("text").startsWith("meeting " + (i % 2) + " "), "nothing of the other meeting");
      }
    }
    // the receivers of one meeting saw the very same messages
    for (int i = 2; i < 6; i++) {
      assertEquals(received.get(i % 2), received.get(i));
    }
    receivers.forEach(c -> c.close().await());
    sender.close().await();
  }

  @Test
  @DisplayName("a socket that unregisters from a meeting's chat gets nothing more while the others still do, and can register again")
  void unregisterStopsDeliveries() {
    String tenant = TestServer.freshTenant("unreg");
    String host = api.token("Host", tenant);
    String guest = api.token("Guest", tenant);
    String meeting = api.createMeeting(host, "Come and go");
    api.join(host, meeting);
    api.join(guest, meeting);
    String address = "meeting." + meeting + ".chat";
    BridgeClient stays = BridgeClient.connect(server.vertx(), server.port(), host).await();
    BridgeClient goes = BridgeClient.connect(server.vertx(), server.port(), guest).await();
    List<JsonObject> staysInbox = new CopyOnWriteArrayList<>();
    List<JsonObject> goesInbox = new CopyOnWriteArrayList<>();
    stays.register(address, meeting, staysInbox::add).await();
    goes.register(address, meeting, goesInbox::add).await();

    send(stays, meeting, "one");
    awaitSize(goesInbox, 1);
    goes.writeRaw(new JsonObject().put("type", "unregister").put("address", address).encode());
    goes.request("presence.ping", new JsonObject().put("meetingId", meeting)).await(); // handled after the unregister
    send(stays, meeting, "two");
    awaitSize(staysInbox, 2);
    goes.request("presence.ping", new JsonObject().put("meetingId", meeting)).await();
    assertEquals(1, goesInbox.size(), "nothing after unregistering: " + goesInbox);

    goes.writeRaw(new JsonObject().put("type", "register").put("address", address).encode());
    goes.request("presence.ping", new JsonObject().put("meetingId", meeting)).await();
    send(stays, meeting, "three");
    awaitSize(staysInbox, 3);
    awaitSize(goesInbox, 2);
    assertEquals("three", goesInbox.get(1).getString("text"));
    assertTrue(goes.generalErrors.isEmpty(), goes.generalErrors.toString());
    stays.close().await();
    goes.close().await();
  }

  private static void send(BridgeClient client, String meeting, String text) {
    client.request("chat.send", new JsonObject().put("meetingId", meeting).put("text", text)
      .put("clientId", "c-" + text)).await();
  }

  private static void awaitSize(List<JsonObject> inbox, int size) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inbox.size() < size && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(size, inbox.size(), inbox.toString());
  }
}

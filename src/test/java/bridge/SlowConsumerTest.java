package bridge;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reader that stops reading must not grow the server's memory: once more than
 * {@code bridge.maxQueuedBytes} waits on its connection it is closed with 1008 "too slow" (and
 * leaves the meeting's fan-out), while the sockets that read go on getting every message.
 */
@DisplayName("Slow consumers: a bridge socket that stops reading is closed with 1008 \"too slow\"; the others get everything")
class SlowConsumerTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject()
      // no ping timeout in the way: the clients here do not ping, and sending takes a while on a busy machine
      .put("bridge", new JsonObject().put("maxQueuedBytes", 65536).put("pingTimeoutMs", 600_000))
      .put("chat", new JsonObject().put("ratePerSecond", 100000).put("burst", 100000)));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("a socket that never reads is dropped (counted in /metrics) while two readers get every message, seq gapless")
  void neverReadingSocketIsDropped() {
    String tenant = TestServer.freshTenant("slow");
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben", tenant);
    String sloth = api.token("Sloth", tenant);
    String meeting = api.createMeeting(ann, "Busy");
    for (String token : List.of(ann, ben, sloth)) {
      api.join(token, meeting);
    }
    String address = "meeting." + meeting + ".chat";
    BridgeClient annSocket = BridgeClient.connect(server.vertx(), server.port(), ann).await();
    BridgeClient benSocket = BridgeClient.connect(server.vertx(), server.port(), ben).await();
    // a small receive buffer, so that the kernel holds little of what the server sends it
    BridgeClient slowSocket = BridgeClient.connect(server.vertx(), server.port(), sloth,
      new WebSocketClientOptions().setReceiveBufferSize(8192)).await();
    List<JsonObject> annInbox = new CopyOnWriteArrayList<>();
    List<JsonObject> benInbox = new CopyOnWriteArrayList<>();
    List<JsonObject> slowInbox = new CopyOnWriteArrayList<>();
    annSocket.register(address, meeting, annInbox::add).await();
    benSocket.register(address, meeting, benInbox::add).await();
    slowSocket.register(address, meeting, slowInbox::add).await();
    AtomicReference<Short> closeCode = new AtomicReference<>();
    AtomicReference<String> closeReason = new AtomicReference<>();
    slowSocket.socket().closeHandler(v -> {
      closeCode.set(slowSocket.socket().closeStatusCode());
      closeReason.set(slowSocket.socket().closeReason());
    });
    slowSocket.socket().pause();

    double droppedBefore = slowSocketsClosed();
    String text = "abcdefghij ".repeat(350); // 3,850 characters
    int sent = 0;
    while (slowSocketsClosed() == droppedBefore && sent < 3000) {
      sent += sendBatch(annSocket, meeting, text, sent, 20); // pending replies count against maxHandlersPerSocket (32)
    }
    System.out.println("[slow-consumer test] the socket that stopped reading was closed after " + sent + " messages");
    assertEquals(droppedBefore + 1, slowSocketsClosed(), "the socket that stopped reading was closed as too slow, after " + sent + " messages");
    sent += sendBatch(annSocket, meeting, text, sent, 20); // the meeting goes on without it

    int total = sent;
    Poll.until(Duration.ofSeconds(30), () -> annInbox.size() >= total && benInbox.size() >= total,
      "both readers get all " + total + " messages (have " + annInbox.size() + ", " + benInbox.size() + ")");
    assertEquals(total, benInbox.size());
    assertEquals(total, annInbox.size());
    assertEquals(LongStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()), seqs(benInbox), "every seq once, gapless");
    assertEquals(seqs(benInbox), seqs(annInbox));

    // Reading again, the slow client finds what was queued before the drop, then the close frame.
    slowSocket.socket().resume();
    Poll.until(Duration.ofSeconds(10), () -> closeCode.get() != null || slowSocket.socket().isClosed(), "the slow socket is closed");
    Poll.until(Duration.ofSeconds(5), () -> closeCode.get() != null, "its close handler ran");
    assertEquals((short) 1008, closeCode.get(), "closed as a policy violation");
    assertEquals("too slow", closeReason.get());
    assertTrue(slowInbox.size() < total, "it got only what was queued before the drop: " + slowInbox.size() + " of " + total);
    assertEquals(slowInbox.size(), seqs(slowInbox).size(), "each once");
    annSocket.close().await();
    benSocket.close().await();
  }

  private static int sendBatch(BridgeClient client, String meeting, String text, int from, int count) {
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(client.request("chat.send", new JsonObject().put("meetingId", meeting).put("text", text)
        .put("clientId", "slow-" + (from + i))));
    }
    Future.all(replies).await();
    return count;
  }

  private static Set<Long> seqs(List<JsonObject> inbox) {
    return inbox.stream().map(m -> m.getLong("seq")).collect(Collectors.toSet());
  }

  private static double slowSocketsClosed() {
    for (String line : api.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("parley_bridge_slow_sockets_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}

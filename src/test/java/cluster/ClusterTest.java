package cluster;

import captions.AudioClientAccess;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import support.Api;
import support.BridgeClient;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parley clustered over Hazelcast: nodes in this JVM on loopback, joined by a TCP/IP member list,
 * sharing one PostgreSQL and one Redis (as real nodes share {@code db.url} and {@code redis.url})
 * and one development signing key. Clients on different nodes meet in one meeting; nodes are
 * stopped under them, gracefully and abruptly.
 */
@DisplayName("Clustering: participants on different nodes share a meeting, and survive the loss of their node")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {

  static final int[] HZ_PORTS = {TestServer.freePort(), TestServer.freePort(), TestServer.freePort()};
  static Path shared;
  static Parley nodeA;
  static Parley nodeB;
  static Parley nodeC;
  static Api apiA;
  static Api apiB;
  static String tenant;
  static String alice;
  static String bob;
  static final List<BridgeClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    shared = Files.createTempDirectory("parley-cluster-");
    nodeA = startNode(0);
    nodeB = startNode(1);
    apiA = new Api(nodeA.vertx(), nodeA.port());
    apiB = new Api(nodeB.vertx(), nodeB.port());
    tenant = TestServer.freshTenant("cluster");
    alice = apiA.token("Alice Anode", tenant);
    bob = apiB.token("Bob Bnode", tenant);
    assertEquals(2, nodeA.clusterManager().getNodes().size(), "both nodes are members of one cluster");
  }

  @AfterAll
  static void stop() throws Exception {
    for (BridgeClient c : clients) {
      try {
        c.close().otherwiseEmpty().await();
      } catch (RuntimeException e) {
        // its node was stopped by a test, and the socket with it
      }
    }
    for (Api api : new Api[]{apiA, apiB}) {
      if (api != null) {
        api.close();
      }
    }
    for (Parley node : new Parley[]{nodeC, nodeB, nodeA}) {
      if (node != null) {
        node.stop().otherwiseEmpty().await();
      }
    }
    if (shared != null) {
      TestInfra.deleteRecursively(shared);
    }
  }

  static Parley startNode(int index) {
    JsonArray members = new JsonArray();
    for (int port : HZ_PORTS) {
      members.add("127.0.0.1:" + port);
    }
    return TestServer.start(new JsonObject()
      .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", HZ_PORTS[index])
        .put("members", members))
      .put("auth", new JsonObject().put("mode", "dev").put("devKeyFile", shared.resolve("dev-issuer-key.pem").toString()))
      .put("chat", new JsonObject().put("ratePerSecond", 1000).put("burst", 1000))
      // A request that went to a node which has just died fails after this, and the client retries.
      .put("bridge", new JsonObject().put("replyTimeoutMs", 4000)));
  }

  /** A bridge client on {@code node} that records what arrives on the meeting's addresses. */
  static final class Participant {
    final BridgeClient bridge;
    final List<JsonObject> chat = new CopyOnWriteArrayList<>();
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final List<JsonObject> captions = new CopyOnWriteArrayList<>();

    Participant(Parley node, String token, String meetingId, boolean captionsToo) {
      bridge = BridgeClient.connect(node.vertx(), node.port(), token).await();
      clients.add(bridge);
      bridge.register("meeting." + meetingId + ".chat", meetingId, chat::add).await();
      bridge.register("meeting." + meetingId, meetingId, events::add).await();
      if (captionsToo) {
        bridge.register("meeting." + meetingId + ".captions", meetingId, captions::add).await();
      }
    }

    Set<Long> chatSeqs() {
      return chat.stream().filter(m -> m.containsKey("seq")).map(m -> m.getLong("seq")).collect(Collectors.toCollection(TreeSet::new));
    }

    JsonObject send(String meetingId, String text) {
      return bridge.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", text)
        .put("clientId", UUID.randomUUID().toString())).await();
    }
  }

  /**
   * Subscriptions reach the other nodes through Hazelcast a moment after a REGISTER: publish probes
   * from every running node until each participant has seen one on {@code address}.
   */
  static void awaitSubscribed(String address, List<JsonObject> seen, Parley... publishers) throws InterruptedException {
    for (Parley publisher : publishers) {
      String probe = UUID.randomUUID().toString();
      long deadline = System.currentTimeMillis() + 15_000;
      while (seen.stream().noneMatch(m -> probe.equals(m.getString("probe")))) {
        assertTrue(System.currentTimeMillis() < deadline, "a subscription on " + address + " did not reach the cluster in 15 s");
        publisher.vertx().eventBus().publish(address, new JsonObject().put("probe", probe));
        Thread.sleep(100);
      }
    }
  }

  static void awaitAll(Participant p, String meetingId, Parley... publishers) throws InterruptedException {
    awaitSubscribed("meeting." + meetingId + ".chat", p.chat, publishers);
    awaitSubscribed("meeting." + meetingId, p.events, publishers);
  }

  static String meetingWith(Api api, String hostToken, String... others) {
    String id = api.createMeeting(hostToken, "Cluster " + UUID.randomUUID().toString().substring(0, 6));
    assertEquals(200, api.join(hostToken, id).status());
    for (String other : others) {
      assertEquals(200, api.join(other, id).status());
    }
    return id;
  }

  static void waitUntil(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (!condition.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, "timed out waiting until " + what);
      Thread.sleep(50);
    }
  }

  /** What a client does after losing its node: try again, a few times, with a pause. */
  static <T> T retrying(String what, java.util.concurrent.Callable<T> action) throws Exception {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 5; attempt++) {
      try {
        return action.call();
      } catch (RuntimeException e) {
        last = e;
        System.out.println("[ClusterTest] " + what + ": attempt " + attempt + " failed: " + e);
        Thread.sleep(300);
      }
    }
    throw new AssertionError(what + " kept failing", last);
  }

  @Test
  @Order(1)
  @DisplayName("participants on different nodes get each other's chat, presence, join events and captions")
  void sharedMeetingAcrossNodes() throws Exception {
    String id = meetingWith(apiA, alice);
    assertEquals(200, apiB.join(bob, id).status(), "bob joins through the other node");
    Participant a = new Participant(nodeA, alice, id, true);
    Participant b = new Participant(nodeB, bob, id, true);
    for (Participant p : List.of(a, b)) {
      awaitAll(p, id, nodeA, nodeB);
      awaitSubscribed("meeting." + id + ".captions", p.captions, nodeA, nodeB);
    }

    JsonObject fromA = a.send(id, "hello from node A");
    JsonObject fromB = b.send(id, "hello from node B");
    waitUntil("both messages reach both sides", () -> a.chatSeqs().size() == 2 && b.chatSeqs().size() == 2);
    assertEquals(Set.of(fromA.getLong("seq"), fromB.getLong("seq")), b.chatSeqs());
    assertTrue(b.chat.stream().anyMatch(m -> "hello from node A".equals(m.getString("text"))
      && apiA.userId(alice).equals(m.getString("senderId"))), "bob, on node B, got alice's message stamped with her identity");

    // Presence lives in Redis: a ping through node B sees alice, present through node A.
    JsonArray present = b.bridge.request("presence.ping", new JsonObject().put("meetingId", id)).await()
      .getJsonArray("participants");
    Set<String> presentIds = present.stream().map(p -> ((JsonObject) p).getString("userId")).collect(Collectors.toSet());
    assertEquals(Set.of(apiA.userId(alice), apiA.userId(bob)), presentIds);
    assertEquals(2, apiA.get("/api/v1/meetings/" + id + "/participants", alice).array("participants").size());

    // A join handled by node B is announced to alice on node A.
    String carol = apiB.token("Carol Cnode", tenant);
    assertEquals(200, apiB.join(carol, id).status());
    String carolId = apiB.userId(carol);
    waitUntil("alice sees carol join", () -> a.events.stream()
      .anyMatch(e -> "joined".equals(e.getString("type")) && carolId.equals(e.getString("userId"))));

    // Real speech into node B's /ws/audio: the final captions reach alice on node A.
    AudioClientAccess.speak(nodeB, bob, id, "fox.wav");
    waitUntil("a final caption reaches node A", () -> a.captions.stream().anyMatch(c -> Boolean.TRUE.equals(c.getBoolean("final"))
      && c.getString("text", "").contains("fox")));
  }

  @Test
  @Order(2)
  @DisplayName("a participant who leaves through one node gets nothing more on a socket held by the other node")
  void leaveRevokesAcrossNodes() throws Exception {
    String carol = apiB.token("Carol Control", tenant);
    String id = meetingWith(apiA, alice, bob, carol);
    Participant b = new Participant(nodeB, bob, id, false);
    Participant control = new Participant(nodeB, carol, id, false);
    awaitAll(b, id, nodeA, nodeB);
    awaitAll(control, id, nodeA, nodeB);
    Participant a = new Participant(nodeA, alice, id, false);

    assertEquals(200, apiA.post("/api/v1/meetings/" + id + "/leave", bob, null).status(), "bob leaves through node A");
    support.MeetingSocket.awaitUncounted(nodeA.vertx(), tenant, id, apiA.userId(bob));

    String marker = "after-leave-" + UUID.randomUUID();
    for (Parley node : List.of(nodeA, nodeB)) {
      node.vertx().eventBus().publish("meeting." + id, new JsonObject().put("type", "media").put("probe", marker));
      node.vertx().eventBus().publish("meeting." + id + ".chat", new JsonObject().put("probe", marker));
    }
    a.send(id, "chat " + marker);
    waitUntil("the control on node B gets the five probes", () -> control.events.stream()
      .filter(e -> marker.equals(e.getString("probe"))).count() == 2
      && control.chat.stream().filter(m -> m.encode().contains(marker)).count() == 3);
    // bob's socket answers a frame sent after the probes: anything written to it before would be here
    assertEquals(403, org.junit.jupiter.api.Assertions.assertThrows(BridgeClient.BridgeError.class,
      () -> b.bridge.request("presence.ping", new JsonObject().put("meetingId", id)).await()).code);
    assertTrue(b.chat.stream().noneMatch(m -> m.encode().contains(marker)) && b.events.stream().noneMatch(m -> m.encode().contains(marker)),
      "nothing published after the leave, on either node, reaches bob's socket on node B");
  }

  @Test
  @Order(2)
  @DisplayName("chat sent concurrently through both nodes gets exactly seq 1..N, and both sides receive all N")
  void gaplessSeqAcrossNodes() throws Exception {
    String id = meetingWith(apiA, alice, bob);
    Participant a = new Participant(nodeA, alice, id, false);
    Participant b = new Participant(nodeB, bob, id, false);
    awaitAll(a, id, nodeA, nodeB);
    awaitAll(b, id, nodeA, nodeB);
    int perNode = 20;
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      for (Participant p : List.of(a, b)) {
        sends.add(p.bridge.request("chat.send", new JsonObject().put("meetingId", id).put("text", "burst " + i)
          .put("clientId", UUID.randomUUID().toString())));
      }
    }
    Future.all(sends).await();
    Set<Long> replied = sends.stream().map(f -> f.result().getLong("seq")).collect(Collectors.toCollection(TreeSet::new));
    Set<Long> expected = LongStream.rangeClosed(1, 2L * perNode).boxed().collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, replied, "every send got its own seq, with no gap");
    waitUntil("both sides received every message", () -> a.chatSeqs().size() == 2 * perNode && b.chatSeqs().size() == 2 * perNode);
    assertEquals(expected, a.chatSeqs());
    assertEquals(expected, b.chatSeqs());
  }

  @Test
  @Order(3)
  @DisplayName("when a node is stopped, its client reconnects to another node and replays what it missed with after=SEQ")
  void gracefulStopAndReplay() throws Exception {
    String id = meetingWith(apiA, alice, bob);
    Participant a = new Participant(nodeA, alice, id, false);
    Participant b = new Participant(nodeB, bob, id, false);
    awaitAll(a, id, nodeA, nodeB);
    awaitAll(b, id, nodeA, nodeB);
    for (int i = 1; i <= 3; i++) {
      a.send(id, "before " + i);
    }
    waitUntil("bob has 1..3", () -> b.chatSeqs().size() == 3);
    long lastSeen = b.chatSeqs().stream().mapToLong(Long::longValue).max().orElseThrow();

    nodeB.stop().await();
    nodeB = null;
    waitUntil("node A sees one member", () -> nodeA.clusterManager().getNodes().size() == 1);
    for (int i = 1; i <= 3; i++) {
      assertEquals(lastSeen + i, a.send(id, "while bob is away " + i).getLong("seq"));
    }

    // Bob's client reconnects to node A, re-registers, and asks for what it missed.
    Participant back = new Participant(nodeA, bob, id, false);
    JsonObject replay = apiA.get("/api/v1/meetings/" + id + "/chat?after=" + lastSeen, bob).json();
    List<Long> replayed = replay.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
    assertEquals(List.of(lastSeen + 1, lastSeen + 2, lastSeen + 3), replayed);
    awaitSubscribed("meeting." + id + ".chat", back.chat, nodeA);
    long live = a.send(id, "after the reconnect").getLong("seq");
    waitUntil("bob gets the next message live", () -> back.chatSeqs().contains(live));
    Set<Long> seen = new TreeSet<>(b.chatSeqs());
    seen.addAll(replayed);
    seen.addAll(back.chatSeqs());
    assertEquals(LongStream.rangeClosed(1, live).boxed().collect(Collectors.toCollection(TreeSet::new)), seen,
      "live before the stop, replay, live after: nothing lost");
  }

  @Test
  @Order(4)
  @DisplayName("when a node vanishes without leaving the cluster, chat keeps its order and its client replays from another node")
  void hardStopAndReplay() throws Exception {
    nodeC = startNode(2);
    Api apiC = new Api(nodeC.vertx(), nodeC.port());
    try {
      waitUntil("node C joins", () -> nodeA.clusterManager().getNodes().size() == 2);
      String id = meetingWith(apiA, alice, bob);
      Participant a = new Participant(nodeA, alice, id, false);
      Participant c = new Participant(nodeC, bob, id, false);
      awaitAll(a, id, nodeA, nodeC);
      awaitAll(c, id, nodeA, nodeC);
      for (int i = 1; i <= 3; i++) {
        a.send(id, "before the crash " + i);
      }
      waitUntil("bob on node C has 1..3", () -> c.chatSeqs().size() == 3);
      long lastSeen = 3;

      // A crash as the cluster sees it: Hazelcast dies without a goodbye, then the node goes.
      nodeC.clusterManager().getHazelcastInstance().getLifecycleService().terminate();
      nodeC.stop().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      nodeC = null;
      waitUntil("node A sees one member", () -> nodeA.clusterManager().getNodes().size() == 1);

      // Until node A has dropped the dead node's subscriptions, a request may be routed there and
      // fail after bridge.replyTimeoutMs: clients retry, chat with the same clientId (stored once).
      for (int i = 1; i <= 3; i++) {
        JsonObject body = new JsonObject().put("meetingId", id).put("text", "after the crash " + i)
          .put("clientId", UUID.randomUUID().toString());
        JsonObject reply = retrying("chat.send after the crash", () -> a.bridge.request("chat.send", body).await());
        assertEquals(lastSeen + i, reply.getLong("seq"), "seq stays gapless after the crash");
      }
      Participant back = retrying("bob reconnecting to node A", () -> new Participant(nodeA, bob, id, false));
      JsonObject replay = apiA.get("/api/v1/meetings/" + id + "/chat?after=" + lastSeen, bob).json();
      List<Long> replayed = replay.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getLong("seq")).toList();
      assertEquals(List.of(lastSeen + 1, lastSeen + 2, lastSeen + 3), replayed, "the reconnected client replays exactly what it missed");
      List<Long> all = apiA.get("/api/v1/meetings/" + id + "/chat?after=0", alice).json().getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getLong("seq")).toList();
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), all);
      assertTrue(back.bridge.request("presence.ping", new JsonObject().put("meetingId", id)).await()
        .getJsonArray("participants").size() >= 1);
    } finally {
      apiC.close();
    }
  }

  @Test
  @Order(5)
  @DisplayName("cluster.enabled without a member list stops start-up with one line naming the setting")
  void clusterWithoutMembersIsRefused() {
    JsonObject config = TestServer.config(new JsonObject()
      .put("cluster", new JsonObject().put("enabled", true).put("members", new JsonArray())));
    Throwable err = Parley.start(config).toCompletionStage().toCompletableFuture().handle((p, e) -> e).join();
    assertTrue(err != null && err.getMessage().contains("cluster.members (PARLEY_CLUSTER_MEMBERS)"), String.valueOf(err));
    assertEquals(-1, err.getMessage().indexOf('\n'));
  }
}

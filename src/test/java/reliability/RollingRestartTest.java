package reliability;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.ChatLoad;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Graceful stop and a two-node rolling restart: clients are told 1001 'going away', reconnect to the other node, and no acknowledged message is lost or doubled")
class RollingRestartTest {

  static final int[] HZ_PORTS = {TestServer.freePort(), TestServer.freePort()};
  static final int[] HTTP_PORTS = {TestServer.freePort(), TestServer.freePort()};
  static Path shared;
  static Parley[] nodes = new Parley[2];
  static Vertx clients;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    shared = Files.createTempDirectory("parley-rolling-");
    nodes[0] = startNode(0);
    nodes[1] = startNode(1);
    clients = Vertx.vertx();
    api = new Api(clients, HTTP_PORTS[1]);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    clients.close().await();
    for (Parley node : nodes) {
      if (node != null) {
        node.stop().otherwiseEmpty().await();
      }
    }
    TestInfra.deleteRecursively(shared);
  }

  static Parley startNode(int index) {
    JsonArray members = new JsonArray();
    for (int port : HZ_PORTS) {
      members.add("127.0.0.1:" + port);
    }
    return TestServer.start(new JsonObject()
      .put("http", new JsonObject().put("port", HTTP_PORTS[index]))
      .put("cluster", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", HZ_PORTS[index])
        .put("members", members))
      .put("auth", new JsonObject().put("mode", "dev").put("devKeyFile", shared.resolve("dev-issuer-key.pem").toString()))
      .put("chat", new JsonObject().put("ratePerSecond", 1000).put("burst", 1000))
      .put("bridge", new JsonObject().put("replyTimeoutMs", 4000)));
  }

  /** Stops node {@code index} gracefully, as SIGTERM does, bounded; returns how long it took. */
  static long stopGracefully(int index) throws Exception {
    long started = System.nanoTime();
    nodes[index].stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    nodes[index] = null;
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  @DisplayName("A stops, A starts, B stops, B starts, with chat flowing through both: every client reconnects after 1001, all acknowledged messages stored once")
  void rollingRestart() throws Exception {
    String tenant = TestServer.freshTenant("rolling");
    String ada = api.token("Ada", tenant);
    String ben = api.token("Ben", tenant);
    String meetingId = api.createMeeting(ada, "Rolling");
    api.join(ada, meetingId);
    api.join(ben, meetingId);
    ChatLoad onA = new ChatLoad(clients, List.of(HTTP_PORTS[0], HTTP_PORTS[1]), ada, meetingId, 50);
    ChatLoad onB = new ChatLoad(clients, List.of(HTTP_PORTS[1], HTTP_PORTS[0]), ben, meetingId, 50);
    onA.start();
    onB.start();
    Poll.until(Duration.ofSeconds(30), () -> onA.acknowledged() >= 10 && onB.acknowledged() >= 10, "chat flows on both nodes");

    long stopA = stopGracefully(0);
    Poll.until(Duration.ofSeconds(20), () -> onA.connectedPort() == HTTP_PORTS[1], "A's client is on B");
    int ackedA = onA.acknowledged();
    Poll.until(Duration.ofSeconds(20), () -> onA.acknowledged() > ackedA + 5, "A's client chats through B");
    nodes[0] = startNode(0);

    long stopB = stopGracefully(1);
    Poll.until(Duration.ofSeconds(20), () -> onA.connectedPort() == HTTP_PORTS[0] && onB.connectedPort() == HTTP_PORTS[0],
      "both clients are on the restarted A");
    int ackedB = onB.acknowledged();
    Poll.until(Duration.ofSeconds(20), () -> onB.acknowledged() > ackedB + 5, "B's client chats through A");
    nodes[1] = startNode(1);
    onA.stop();
    onB.stop();

    Api reader = new Api(clients, HTTP_PORTS[1]);
    JsonArray history = ChatLoad.history(reader, ada, meetingId);
    reader.close();
    for (ChatLoad load : List.of(onA, onB)) {
      JsonObject report = load.report(history);
      System.out.println("[rolling-restart] stop A " + stopA + " ms, stop B " + stopB + " ms; client: " + report.encode());
      assertEquals(0, report.getLong("acknowledgedButLost"), report.encode());
      assertEquals(0, report.getLong("duplicated"), report.encode());
      assertEquals(report.getInteger("acknowledged"), report.getInteger("stored"), report.encode());
      assertTrue(report.getInteger("goingAway") >= 1, "closed with 1001, not dropped: " + report.encode());
    }
    assertTrue(stopA < 30_000 && stopB < 30_000);
  }
}

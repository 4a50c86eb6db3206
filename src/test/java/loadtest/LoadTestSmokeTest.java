package loadtest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load tool run in-process against a real server: it sets up, connects, sends, and reports. Not a timing test. */
@DisplayName("The bridge load tool drives a real server and reports what it measured")
class LoadTestSmokeTest {

  static Parley server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.stop().await();
  }

  @ParameterizedTest(name = "over the {0} transport")
  @ValueSource(strings = {"sockjs", "raw"})
  @DisplayName("20 sockets in 2 meetings: every socket registers, every message reaches all 10 members, no errors, and the JSON report has its fields")
  void smallRun(String transport, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Options options = Options.of("--url", "http://127.0.0.1:" + server.port(), "--transport", transport,
      "--sockets", "20", "--meetings", "2", "--rate", "20", "--duration", "3", "--warmup", "1", "--ramp", "200",
      "--server-pid", Long.toString(ProcessHandle.current().pid()), "--max-seconds", "120");

    JsonObject report = LoadTest.run(options);

    JsonObject connect = report.getJsonObject("connect");
    assertEquals(20, connect.getInteger("held"), report.encodePrettily());
    assertEquals(0, connect.getInteger("failed"));
    JsonObject totals = report.getJsonObject("totals");
    assertEquals(0, totals.getLong("errors"), totals.encode());
    assertEquals(0, totals.getLong("disconnects"));
    assertTrue(totals.getLong("sent") > 0, totals.encode());
    assertEquals(totals.getLong("sent"), totals.getLong("acked"), "every chat.send was answered");
    // each message goes to the 10 sockets of its meeting, the sender's included
    assertEquals(10 * totals.getLong("sent"), totals.getLong("deliveries"), totals.encode());
    assertEquals(totals.getLong("expectedDeliveries"), totals.getLong("deliveries"));

    JsonObject stage = report.getJsonArray("stages").getJsonObject(0);
    assertEquals(20, stage.getInteger("rate"));
    assertEquals(1.0, stage.getDouble("deliveredRatio"));
    assertTrue(stage.getLong("deliveriesPerSecond") > 0);
    for (String field : List.of("p50", "p95", "p99", "max", "count")) {
      assertTrue(stage.getJsonObject("fanOutLatencyMs").containsKey(field), field);
    }
    assertTrue(stage.getJsonObject("fanOutLatencyMs").getLong("count") > 0);
    assertTrue(stage.containsKey("loadAverageAtStart") && stage.containsKey("loadAverageAtEnd"));
    JsonObject probed = report.getJsonObject("server").getJsonObject("holdingSockets");
    assertTrue(probed.getLong("rssBytes") > 0, probed.encode());
    assertTrue(probed.getLong("heapUsedAfterGcBytes") > 0, probed.encode());

    JsonObject written = new JsonObject(Files.readString(LoadTest.write(report, dir.resolve("results/load.json"))));
    for (String field : List.of("target", "transport", "machine", "options", "connect", "server", "client", "stages", "totals")) {
      assertTrue(written.containsKey(field), field);
    }
    assertEquals("parley", written.getString("target"));
    assertEquals(transport, written.getString("transport"));
  }
}

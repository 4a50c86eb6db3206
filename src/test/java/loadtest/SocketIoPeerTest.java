package loadtest;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Poll;
import support.TestServer;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load tool's Socket.IO client (Engine.IO v4 over a WebSocket) against the real peer,
 * bench/peers/socketio-server.js on Node, installed from its committed lock ({@code npm ci --prefix
 * bench/peers}: {@code .ci/run} does, and this test does once when npm is there). Skips with a
 * printed line when Node or npm is missing or the install fails.
 */
@DisplayName("The load tool drives the Socket.IO peer with the same counts and reports it the same way")
class SocketIoPeerTest {

  static Process peer;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    skipUnless(onPath("node") && onPath("npm"), "Node.js and npm are needed for the Socket.IO peer (apt-get install nodejs npm)");
    if (!Files.isDirectory(Path.of("bench/peers/node_modules/socket.io"))) {
      Process install = new ProcessBuilder("npm", "ci", "--prefix", "bench/peers", "--no-audit", "--no-fund",
        "--loglevel=error").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      boolean done = install.waitFor(5, TimeUnit.MINUTES);
      if (!done) {
        install.destroyForcibly();
      }
      skipUnless(done && install.exitValue() == 0,
        "the Socket.IO peer is not installed and `npm ci --prefix bench/peers --no-audit --no-fund` failed");
    }
    port = TestServer.freePort();
    ProcessBuilder pb = new ProcessBuilder("node", "bench/peers/socketio-server.js")
      .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PORT", Integer.toString(port));
    peer = pb.start();
    Poll.until(Duration.ofSeconds(30), () -> {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return true;
      } catch (IOException notYet) {
        return false;
      }
    }, "the Socket.IO peer listens on " + port);
  }

  private static void skipUnless(boolean runnable, String reason) {
    if (!runnable) {
      System.out.println("[loadtest] SKIPPED SocketIoPeerTest: " + reason);
    }
    Assumptions.assumeTrue(runnable, reason);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (peer != null) {
      peer.destroy();
      peer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("20 sockets in 2 rooms: all join, every message reaches the 10 members of its room, no errors; its RSS is measured, no heap (not a JVM)")
  void smallRun() throws Exception {
    JsonObject report = LoadTest.run(Options.of("--target", "socketio", "--url", "http://127.0.0.1:" + port,
      "--sockets", "20", "--meetings", "2", "--rate", "20", "--duration", "3", "--warmup", "1",
      "--server-pid", Long.toString(peer.pid()), "--max-seconds", "120"));

    assertEquals(20, report.getJsonObject("connect").getInteger("held"), report.encodePrettily());
    JsonObject totals = report.getJsonObject("totals");
    assertEquals(0, totals.getLong("errors"), totals.encode());
    assertTrue(totals.getLong("sent") > 0);
    assertEquals(totals.getLong("sent"), totals.getLong("acked"), "every chat event was acknowledged");
    assertEquals(10 * totals.getLong("sent"), totals.getLong("deliveries"), totals.encode());
    assertEquals("engine.io-websocket", report.getString("transport"));
    JsonObject holding = report.getJsonObject("server").getJsonObject("holdingSockets");
    assertTrue(holding.getLong("rssBytes") > 0, holding.encode());
    assertTrue(!holding.containsKey("heapUsedAfterGcBytes"), "jcmd is never pointed at Node: " + holding.encode());
    assertTrue(peer.isAlive(), "the peer is still running after being measured");
  }

  private static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}

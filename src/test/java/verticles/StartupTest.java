package verticles;

import config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Start-up: embedded defaults, external servers, and one clear line for bad settings")
class StartupTest {

  @Test
  @DisplayName("with no URLs configured it starts embedded PostgreSQL and Redis in the data folder and signs in with the dev issuer")
  void embeddedDefaults(@TempDir Path dataDir) {
    JsonObject config = ConfigLoader.defaults();
    config.getJsonObject("http").put("port", TestServer.freePort()).put("host", "127.0.0.1");
    config.getJsonObject("data").put("dir", dataDir.toString());
    long started = System.nanoTime();
    Parley parley = Parley.start(config).await();
    try {
      WebClient web = WebClient.create(parley.vertx());
      int ready = web.get(parley.port(), "127.0.0.1", "/health/ready").send().await().statusCode();
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      System.out.println("[startup] embedded defaults ready in " + elapsedMs + " ms");
      assertEquals(200, ready);
      assertTrue(Files.isDirectory(dataDir.resolve("pg")), "PostgreSQL data lives under the data folder");
      assertTrue(Files.isDirectory(dataDir.resolve("redis")), "Redis data lives under the data folder");
      int devToken = web.post(parley.port(), "127.0.0.1", "/api/v1/auth/dev-token")
        .sendJsonObject(new JsonObject().put("name", "Dee").put("tenant", "dev")).await().statusCode();
      assertEquals(201, devToken, "dev mode is on with the embedded defaults");
    } finally {
      parley.stop().await();
    }
  }

  @Test
  @DisplayName("with db.url and redis.url set it starts nothing embedded")
  void externalServers() {
    JsonObject config = TestServer.config(new JsonObject());
    Path dataDir = Path.of(config.getJsonObject("data").getString("dir"));
    Parley parley = Parley.start(config).await();
    try {
      assertFalse(Files.exists(dataDir.resolve("pg")));
      assertFalse(Files.exists(dataDir.resolve("redis")));
    } finally {
      parley.stop().await();
    }
  }

  @Test
  @DisplayName("an invalid setting stops start-up with a message naming it")
  void invalidSetting() {
    JsonObject config = TestServer.config(new JsonObject().put("auth", new JsonObject().put("mode", "sometimes")));
    Exception e = assertThrows(Exception.class, () -> Parley.start(config).await());
    assertTrue(e.getMessage().contains("auth.mode"), e.getMessage());

    JsonObject noIssuer = TestServer.config(new JsonObject().put("auth", new JsonObject().put("mode", "oidc")));
    Exception e2 = assertThrows(Exception.class, () -> Parley.start(noIssuer).await());
    assertTrue(e2.getMessage().contains("auth.issuer"), e2.getMessage());

    JsonObject badInstances = TestServer.config(new JsonObject().put("verticles",
      new JsonObject().put("chat", new JsonObject().put("instances", 0))));
    Exception e3 = assertThrows(Exception.class, () -> Parley.start(badInstances).await());
    assertTrue(e3.getMessage().contains("verticles.chat.instances"), e3.getMessage());

    // a verticle's own slice, parsed at its start
    JsonObject badFrame = TestServer.config(new JsonObject().put("bridge", new JsonObject().put("maxFrameBytes", "big")));
    Exception e4 = assertThrows(Exception.class, () -> Parley.start(badFrame).await());
    assertTrue(e4.getMessage().contains("bridge.maxFrameBytes must be an integer"), e4.getMessage());
    JsonObject noPage = TestServer.config(new JsonObject().put("chat", new JsonObject().putNull("historyPageMax")));
    Exception e5 = assertThrows(Exception.class, () -> Parley.start(noPage).await());
    assertTrue(e5.getMessage().contains("chat.historyPageMax must be an integer"), e5.getMessage());
  }

  @Test
  @DisplayName("the database being unreachable stops start-up instead of hanging")
  void unreachableDatabase() {
    JsonObject config = TestServer.config(new JsonObject().put("db", new JsonObject()
      .put("url", "postgresql://postgres@127.0.0.1:" + TestServer.freePort() + "/postgres")));
    assertThrows(Exception.class, () -> Parley.start(config).await());
  }

  @Test
  @DisplayName("a start-up that fails after Apertium has started (HTTP port taken) leaves no APy process behind")
  void failedStartStopsChildren() throws Exception {
    boolean installed = ai.translate.ApertiumProcess.isInstalled(null);
    if (!installed) {
      System.out.println("[startup] SKIPPED child-process test: apertium-apy is not installed");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(installed, "apertium-apy is not installed");
    int apyPort = TestServer.freePort();
    JsonObject overrides = new JsonObject().put("ai", new JsonObject().put("translation", new JsonObject()
      .put("provider", "apertium").put("apertium", new JsonObject().put("manage", true).put("port", apyPort))));
    JsonObject config = TestServer.config(overrides);
    try (java.net.ServerSocket taken = new java.net.ServerSocket(config.getJsonObject("http").getInteger("port"), 50,
      java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThrows(Exception.class, () -> Parley.start(config).await());
    }
    long deadline = System.currentTimeMillis() + 5_000;
    while (apyRunning(apyPort) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertFalse(apyRunning(apyPort), "the APy started for the failed server was stopped");
  }

  private static boolean apyRunning(int port) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
      .map(c -> c.contains("apertium-apy") && c.contains("-p " + port + " ")).orElse(false));
  }
}

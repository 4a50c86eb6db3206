package verticles;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import config.ConfigLoader;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    JsonObject noLoops = TestServer.config(new JsonObject().put("verticles", new JsonObject().put("eventLoops", -1)));
    Exception e6 = assertThrows(Exception.class, () -> Parley.start(noLoops).await());
    assertTrue(e6.getMessage().contains("verticles.eventLoops must be an integer between 0 and 1024"), e6.getMessage());
    JsonObject badTransport = TestServer.config(new JsonObject().put("verticles", new JsonObject().put("transport", "fast")));
    Exception e7 = assertThrows(Exception.class, () -> Parley.start(badTransport).await());
    assertTrue(e7.getMessage().contains("verticles.transport must be one of auto, epoll, nio, not 'fast'"), e7.getMessage());
  }

  @Test
  @DisplayName("verticles.transport: native epoll by default where it loads, NIO when asked; the server works on both")
  void transport() {
    boolean epollHere = io.vertx.core.transport.Transport.EPOLL.available();
    Parley defaults = Parley.start(TestServer.config(new JsonObject())).await();
    try {
      assertEquals(epollHere, defaults.vertx().isNativeTransportEnabled(), "auto: epoll exactly where it loads");
      assertServes(defaults);
    } finally {
      defaults.stop().await();
    }
    if (isLinuxX64()) {
      assertTrue(epollHere, "the jar ships epoll's library for Linux on x86-64: "
        + io.vertx.core.transport.Transport.EPOLL.unavailabilityCause());
    } else {
      System.out.println("[StartupTest.transport] not Linux on x86-64: only NIO is checked here");
    }
    Parley nio = Parley.start(TestServer.config(new JsonObject().put("verticles", new JsonObject().put("transport", "nio")))).await();
    try {
      assertFalse(nio.vertx().isNativeTransportEnabled());
      assertServes(nio);
    } finally {
      nio.stop().await();
    }
  }

  private static boolean isLinuxX64() {
    String arch = System.getProperty("os.arch");
    return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
      && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** Readiness answers and a sign-in is stored (HTTP, PostgreSQL and Redis over the instance's transport). */
  private static void assertServes(Parley parley) {
    WebClient web = WebClient.create(parley.vertx());
    assertEquals(200, web.get(parley.port(), "127.0.0.1", "/health/ready").send().await().statusCode());
    assertEquals(201, web.post(parley.port(), "127.0.0.1", "/api/v1/auth/dev-token")
      .sendJsonObject(new JsonObject().put("name", "Dee").put("tenant", "dev")).await().statusCode());
  }

  @Test
  @DisplayName("verticles.eventLoops sets how many event-loop threads the verticles share; the server works on one")
  void eventLoops() {
    JsonObject config = TestServer.config(new JsonObject().put("verticles", new JsonObject().put("eventLoops", 1)));
    Parley parley = Parley.start(config).await();
    try {
      assertEquals(1, eventLoopsOf(parley));
      assertServes(parley);
    } finally {
      parley.stop().await();
    }
    Parley defaults = Parley.start(TestServer.config(new JsonObject())).await();
    try {
      assertEquals(2 * Runtime.getRuntime().availableProcessors(), eventLoopsOf(defaults), "0: Vert.x's default");
    } finally {
      defaults.stop().await();
    }
  }

  private static int eventLoopsOf(Parley parley) {
    int loops = 0;
    for (var ignored : ((io.vertx.core.internal.VertxInternal) parley.vertx()).eventLoopGroup()) {
      loops++;
    }
    return loops;
  }

  @Test
  @DisplayName("the database being unreachable stops start-up instead of hanging, saying the connection was refused and where")
  void unreachableDatabase() {
    int port = TestServer.freePort();
    JsonObject config = TestServer.config(new JsonObject().put("db", new JsonObject()
      .put("url", "postgresql://postgres@127.0.0.1:" + port + "/postgres")));
    Exception e = assertThrows(Exception.class, () -> Parley.start(config).await());
    assertTrue(e.getMessage().contains("Connection refused") && e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  @DisplayName("a start-up that fails after Apertium has started (HTTP port taken) leaves no APy process behind")
  void failedStartStopsChildren() {
    boolean installed = ai.translate.ApertiumProcess.isInstalled(null);
    if (!installed) {
      System.out.println("[startup] SKIPPED child-process test: apertium-apy is not installed");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(installed, "apertium-apy is not installed");
    int apyPort = TestServer.freePort();
    JsonObject overrides = new JsonObject().put("ai", new JsonObject().put("translation", new JsonObject()
      .put("provider", "apertium").put("apertium", new JsonObject().put("manage", true).put("port", apyPort))));
    JsonObject config = TestServer.config(overrides);
    int httpPort = config.getJsonObject("http").getInteger("port");
    // APy reports itself ready (it answered /listPairs) with its pid: that is the process to find gone.
    Logger apyLog = (Logger) LoggerFactory.getLogger(ai.translate.ApertiumProcess.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    apyLog.addAppender(logged);
    Exception e;
    try (java.net.ServerSocket taken = new java.net.ServerSocket(httpPort, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      e = assertThrows(Exception.class, () -> Parley.start(config).await());
    } catch (java.io.IOException portNotFree) {
      throw new AssertionError(portNotFree);
    } finally {
      apyLog.detachAppender(logged);
    }
    assertTrue(e.getMessage().contains("Address already in use"), "the failure is the taken HTTP port: " + e.getMessage());
    List<Long> pids = logged.list.stream()
      .filter(event -> event.getFormattedMessage().startsWith("Apertium APy running on 127.0.0.1:" + apyPort + " "))
      .map(event -> ((Number) event.getArgumentArray()[1]).longValue()).toList();
    assertEquals(1, pids.size(), "APy was running (ready) before the failure: " + logged.list);
    Poll.until(Duration.ofSeconds(5), () -> ProcessHandle.of(pids.get(0)).map(p -> !p.isAlive()).orElse(true),
      "the APy started for the failed server (pid " + pids.get(0) + ") is stopped");
    assertFalse(apyRunning(apyPort), "no APy is left on port " + apyPort);
  }

  private static boolean apyRunning(int port) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
      .map(c -> c.contains("apertium-apy") && c.contains("-p " + port + " ")).orElse(false));
  }
}

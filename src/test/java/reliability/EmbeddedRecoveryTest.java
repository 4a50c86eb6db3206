package reliability;

import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("On its embedded defaults the server is durable and brings its PostgreSQL and Redis back when they are killed")
class EmbeddedRecoveryTest {

  static Parley server;
  static Api api;
  static Path dataDir;
  static String token;
  static String meetingId;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("parley-embedded-");
    JsonObject config = TestServer.config(new JsonObject().put("data", new JsonObject().put("dir", dataDir.toString())));
    // the embedded defaults: no database or Redis URL
    config.getJsonObject("db").putNull("url");
    config.getJsonObject("redis").putNull("url");
    server = Parley.start(config).await();
    api = new Api(server.vertx(), server.port());
    token = api.token("Ada", TestServer.freshTenant("embedded"));
    meetingId = api.createMeeting(token, "Crash test");
    api.join(token, meetingId);
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    server.stop().await();
    TestInfra.deleteRecursively(dataDir);
  }

  private static long pid(Path pidFile) throws Exception {
    return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
  }

  private static void kill9(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    Poll.until(Duration.ofSeconds(10), () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "pid " + pid + " is gone");
  }

  private static double restarts(String dependency) {
    String line = api.get("/metrics", null).body().lines()
      .filter(l -> l.startsWith("parley_dependency_restarts_total{dependency=\"" + dependency + "\"}")).findFirst().orElse(null);
    return line == null ? -1 : Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  @Order(1)
  @DisplayName("the embedded PostgreSQL runs with fsync, synchronous_commit and full_page_writes on; the key file is 0600")
  void durableByDefault() throws Exception {
    int port = Integer.parseInt(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(3).trim());
    Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(port)
      .setUser("postgres").setPassword("postgres").setDatabase("postgres")).using(server.vertx()).build();
    try {
      for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
        assertEquals("on", pool.query("SHOW " + setting).execute().await().iterator().next().getString(0), setting);
      }
      // The server's own pool: over the Unix socket on the native transport (client_addr is null there), else TCP
      var rows = pool.query("SELECT count(*) FILTER (WHERE client_addr IS NULL), count(*) FILTER (WHERE client_addr IS NOT NULL)"
        + " FROM pg_stat_activity WHERE application_name = 'parley-write'").execute().await().iterator().next();
      long overSocket = rows.getLong(0);
      long overTcp = rows.getLong(1);
      if (server.vertx().isNativeTransportEnabled()) {
        assertTrue(overSocket > 0 && overTcp == 0, "the pool on epoll uses the Unix socket: " + overSocket + " over it, " + overTcp + " over TCP");
      } else {
        System.out.println("[embedded-recovery] NIO transport here: the pool is on TCP");
        assertTrue(overSocket == 0 && overTcp > 0, overSocket + " over the socket, " + overTcp + " over TCP");
      }
    } finally {
      pool.close().await();
    }
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
      Files.getPosixFilePermissions(dataDir.resolve("dev-issuer-key.pem"))));
    assertEquals(0.0, restarts("db"));
    assertEquals(0.0, restarts("redis"));
  }

  @Test
  @Order(2)
  @DisplayName("PostgreSQL killed (-9) during chat: restarted, readiness back without a server restart, every acknowledged message kept, none twice")
  void postgresKilled() throws Exception {
    ChatLoad load = new ChatLoad(server.vertx(), List.of(server.port()), token, meetingId, 100);
    load.start();
    Poll.until(Duration.ofSeconds(30), () -> load.acknowledged() >= 10, "chat flows");
    kill9(pid(dataDir.resolve("pg/postmaster.pid")));
    int ackedAtKill = load.acknowledged();
    Poll.until(Duration.ofSeconds(90), () -> api.get("/health/ready", null).status() == 200, "readiness is back");
    Poll.until(Duration.ofSeconds(60), () -> load.acknowledged() >= ackedAtKill + 10, "chat flows again");
    load.stop();
    JsonObject report = load.report(ChatLoad.history(api, token, meetingId));
    System.out.println("[embedded-recovery] PostgreSQL kill: " + report.encode());
    assertEquals(0, report.getLong("acknowledgedButLost"), report.encode());
    assertEquals(0, report.getLong("duplicated"), report.encode());
    assertEquals(report.getInteger("acknowledged"), report.getInteger("stored"), report.encode());
    assertEquals(1.0, restarts("db"));
  }

  @Test
  @Order(3)
  @DisplayName("Redis killed (-9): restarted, joins and readiness work again without a server restart")
  void redisKilled() throws Exception {
    kill9(pid(dataDir.resolve("redis/redis.pid")));
    Poll.until(Duration.ofSeconds(60), () -> api.get("/health/ready", null).status() == 200, "readiness is back");
    Poll.until(Duration.ofSeconds(30), () -> api.join(token, meetingId).status() == 200, "a join works again");
    assertEquals(200, api.get("/api/v1/meetings/" + meetingId + "/participants", token).status());
    assertEquals(1.0, restarts("redis"));
    assertTrue(ProcessHandle.of(pid(dataDir.resolve("redis/redis.pid"))).map(ProcessHandle::isAlive).orElse(false),
      "a new Redis runs");
  }
}

package reliability;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import support.Api;
import support.ChatLoad;
import support.LocalPostgres;
import support.LocalRedis;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("External PostgreSQL and Redis (Debian's) restarted under load, and a Redis Sentinel failover: the pools and the Redis client reconnect by themselves")
class ExternalDependenciesTest {

  static Path dir;
  static LocalPostgres pg;
  static LocalRedis redis;
  static LocalRedis master;
  static LocalRedis replica;
  static LocalRedis sentinel;
  static Parley server;
  static Parley sentinelServer;
  static Api api;
  static String token;
  static String meetingId;

  @BeforeAll
  static void start() throws Exception {
    String why = LocalPostgres.unavailableReason();
    if (why == null) {
      why = LocalRedis.unavailableReason(true);
    }
    if (why != null) {
      System.out.println("[ExternalDependenciesTest] SKIPPED: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    dir = Files.createTempDirectory("parley-external-");
    // PostgreSQL runs as the postgres user, which must reach its folder under this one
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    pg = LocalPostgres.startPrimary(dir.resolve("pg"), TestServer.freePort());
    redis = LocalRedis.server(dir.resolve("redis"), TestServer.freePort(), 0);
    server = TestServer.start(new JsonObject()
      .put("db", new JsonObject().put("url", pg.url()))
      .put("redis", new JsonObject().put("url", redis.url()))
      .put("chat", new JsonObject().put("ratePerSecond", 100).put("burst", 100)));
    api = new Api(server.vertx(), server.port());
    token = api.token("Ada", TestServer.freshTenant("external"));
    meetingId = api.createMeeting(token, "Restarts");
    api.join(token, meetingId);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Parley p : new Parley[]{server, sentinelServer}) {
      if (p != null) {
        p.stop().otherwiseEmpty().await();
      }
    }
    if (api != null) {
      api.close();
    }
    for (LocalRedis r : new LocalRedis[]{redis, sentinel, replica, master}) {
      if (r != null) {
        r.stopQuietly();
      }
    }
    if (pg != null) {
      pg.stopQuietly();
    }
    if (dir != null) {
      TestInfra.deleteRecursively(dir);
    }
  }

  @Test
  @Order(1)
  @DisplayName("PostgreSQL crashed (immediate stop) and started again under chat: 503 while down, then chat and readiness come back; nothing acknowledged lost or doubled")
  void postgresRestart() throws Exception {
    ChatLoad load = new ChatLoad(server.vertx(), List.of(server.port()), token, meetingId, 50);
    load.start();
    Poll.until(Duration.ofSeconds(30), () -> load.acknowledged() >= 10, "chat flows");
    pg.stopQuietly();   // -m immediate: as a crash
    Poll.until(Duration.ofSeconds(20), () -> api.get("/health/ready", null).status() == 503, "readiness says the database is down");
    Api.Response down = api.get("/api/v1/meetings/" + meetingId, token);
    assertEquals(503, down.status(), down.body());
    assertEquals("unavailable", down.errorCode());
    int ackedWhileDown = load.acknowledged();
    pg.start();
    Poll.until(Duration.ofSeconds(60), () -> api.get("/health/ready", null).status() == 200, "readiness is back");
    Poll.until(Duration.ofSeconds(60), () -> load.acknowledged() >= ackedWhileDown + 10, "chat flows again");
    load.stop();
    JsonObject report = load.report(ChatLoad.history(api, token, meetingId));
    System.out.println("[external] PostgreSQL restart: " + report.encode());
    assertEquals(0, report.getLong("acknowledgedButLost"), report.encode());
    assertEquals(0, report.getLong("duplicated"), report.encode());
    assertTrue(report.getJsonObject("failures").containsKey("503"), "sends failed with 503 while it was down: " + report.encode());
  }

  @Test
  @Order(2)
  @DisplayName("Redis killed and started again on its port: presence fails fast with 503 while it is down, then works again")
  void redisRestart() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    redis.kill();
    Api.Response down = api.post("/api/v1/meetings/" + meetingId + "/join", token, null);
    assertEquals(503, down.status(), down.body());
    assertTrue(down.errorMessage().contains("Redis"), down.errorMessage());
    redis.start();
    Poll.until(Duration.ofSeconds(30), () -> {
      int s = api.get("/api/v1/meetings/" + meetingId + "/participants", token).status();
      statuses.add(s);
      return s == 200;
    }, "presence works again");
    Poll.until(Duration.ofSeconds(30), () -> api.get("/health/ready", null).status() == 200, "readiness is back");
  }

  @Test
  @Order(3)
  @DisplayName("Redis stopped (SIGSTOP): requests fail with 503 after redis.commandTimeoutMs instead of hanging; after SIGCONT all is well")
  void redisFrozen() throws Exception {
    long pid = Long.parseLong(redis.cli("INFO", "server").lines().filter(l -> l.startsWith("process_id:")).findFirst()
      .orElseThrow().substring("process_id:".length()).trim());
    new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
    try {
      Api.Response frozen = api.post("/api/v1/meetings/" + meetingId + "/join", token, null);
      assertEquals(503, frozen.status(), frozen.body());
      assertTrue(frozen.errorMessage().contains("no answer in time"), frozen.errorMessage());
    } finally {
      new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
    }
    Poll.until(Duration.ofSeconds(30), () -> api.post("/api/v1/meetings/" + meetingId + "/join", token, null).status() == 200,
      "joins work again");
  }

  @Test
  @Order(4)
  @DisplayName("Sentinel: the master killed, a replica promoted; the client finds the new master by itself and presence works again")
  void sentinelFailover() throws Exception {
    master = LocalRedis.server(dir.resolve("master"), TestServer.freePort(), 0);
    replica = LocalRedis.server(dir.resolve("replica"), TestServer.freePort(), master.port());
    sentinel = LocalRedis.sentinel(dir.resolve("sentinel"), TestServer.freePort(), "parley", master.port());
    Poll.until(Duration.ofSeconds(30), () -> sentinel.cli("SENTINEL", "replicas", "parley").contains(String.valueOf(replica.port())),
      "the sentinel knows the replica");
    sentinelServer = TestServer.start(new JsonObject()
      .put("db", new JsonObject().put("url", pg.url()))
      .put("redis", new JsonObject().put("url", sentinel.url()).put("type", "sentinel").put("masterName", "parley")));
    Api sApi = new Api(sentinelServer.vertx(), sentinelServer.port());
    try {
      String t = sApi.token("Ben", TestServer.freshTenant("sentinel"));
      String m = sApi.createMeeting(t, "Failover");
      assertEquals(200, sApi.join(t, m).status());
      assertTrue(master.cli("KEYS", "parley:*").contains(m), "presence was written to the first master");
      master.kill();
      Poll.until(Duration.ofSeconds(60), () -> replica.cli("ROLE").startsWith("master"), "the replica is promoted");
      Poll.until(Duration.ofSeconds(60), () -> sApi.join(t, m).status() == 200, "joins work again, on the new master");
      assertEquals(200, sApi.get("/api/v1/meetings/" + m + "/participants", t).status());
      assertTrue(replica.cli("KEYS", "parley:*").contains(m), "presence is on the new master");
      Poll.until(Duration.ofSeconds(30), () -> sApi.get("/health/ready", null).status() == 200, "readiness is back");
    } finally {
      sApi.close();
    }
  }
}

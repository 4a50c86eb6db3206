package cluster;

import io.vertx.core.json.JsonArray;
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
import support.LocalPostgres;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real streaming replica (Debian's PostgreSQL binaries: {@code initdb} a primary,
 * {@code pg_basebackup -R} a hot standby) under a Parley server with {@code db.url} on the primary
 * and {@code db.readUrls} on the replica. Both servers log every statement with the client's
 * {@code application_name} ({@code parley-write} / {@code parley-read}), and nothing but this test's
 * server talks to them, so their logs say which server ran what.
 */
@DisplayName("Read replicas: list views are served by a streaming replica, writes by the primary, and reads fall back when the replica is down")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadReplicaTest {

  /** The list query's distinctive tail (data/SqlQueries.LIST_MEETINGS). */
  static final String LIST_SQL = "ORDER BY m.created_at DESC, m.id DESC";

  static Path dir;
  static LocalPostgres primary;
  static LocalPostgres replica;
  static Parley server;
  static Api api;
  static String tenant;
  static String host;
  static int created;

  @BeforeAll
  static void start() throws Exception {
    String reason = LocalPostgres.unavailableReason();
    if (reason != null) {
      System.out.println("[ReadReplicaTest] SKIPPED: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
    dir = Files.createTempDirectory("parley-replica-");
    primary = LocalPostgres.startPrimary(dir, TestServer.freePort());
    replica = primary.startReplica("replica", TestServer.freePort());
    assertEquals("t", replica.psql("SELECT pg_is_in_recovery()"), "the replica is a hot standby");
    server = TestServer.start(new JsonObject().put("db", new JsonObject()
      .put("url", primary.url())
      .put("readUrls", new JsonArray().add(replica.url()))
      .put("replicaRetryMs", 1000)));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("replica");
    host = api.token("Rita Replica", tenant);
  }

  @AfterAll
  static void stop() throws Exception {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop().await();
    }
    if (replica != null) {
      replica.stopQuietly();
    }
    if (primary != null) {
      primary.stopQuietly();
    }
    if (dir != null) {
      TestInfra.deleteRecursively(dir);
    }
  }

  @Test
  @Order(1)
  @DisplayName("meetings created through the API are written on the primary, and nothing is written on the replica")
  void writesGoToThePrimary() throws Exception {
    for (int i = 1; i <= 3; i++) {
      api.createMeeting(host, "Replicated " + i);
      created++;
    }
    assertEquals("3", primary.psql("SELECT count(*) FROM meetings WHERE tenant_id = '" + tenant + "'"));
    assertTrue(count(primary, e -> e.contains("app=parley-write") && e.contains("INSERT INTO meetings")) >= 3,
      "the inserts ran on the primary, from the write pool");
    Predicate<String> write = e -> e.matches("(?s).*LOG: +(execute|statement)[^:]*: *(INSERT|UPDATE|DELETE) .*");
    assertTrue(count(primary, write) >= 3, "the write pattern matches the primary's inserts");
    assertEquals(0, count(replica, write), "no write statement ever reached the replica");
    assertEquals(0, count(replica, e -> e.contains("read-only transaction")), "no write was refused by the replica");
  }

  @Test
  @Order(2)
  @DisplayName("GET /api/v1/meetings is answered from the replica, with what streaming replication brought over")
  void listIsServedByTheReplica() throws Exception {
    long primaryListsBefore = count(primary, e -> e.contains(LIST_SQL));
    JsonArray items = listUntil(created);
    assertEquals(created, items.size());
    assertTrue(count(replica, e -> e.contains("app=parley-read") && e.contains(LIST_SQL)) >= 1,
      "the replica's log shows the list query from the read pool");
    assertEquals(primaryListsBefore, count(primary, e -> e.contains(LIST_SQL)),
      "the primary ran no list query while the replica was up");
    assertEquals("t", replica.psql("SELECT pg_is_in_recovery()"));
    assertEquals(String.valueOf(created), replica.psql("SELECT count(*) FROM meetings WHERE tenant_id = '" + tenant + "'"),
      "the rows reached the replica by streaming replication");
  }

  @Test
  @Order(3)
  @DisplayName("with the replica stopped the list still answers 200, from the primary, including a meeting created meanwhile")
  void fallsBackToThePrimary() throws Exception {
    replica.stop();
    api.createMeeting(host, "Created while the replica is down");
    created++;
    long primaryLists = count(primary, e -> e.contains("app=parley-write") && e.contains(LIST_SQL));
    Api.Response list = api.get("/api/v1/meetings?limit=50", host);
    assertEquals(200, list.status(), list.body());
    assertEquals(created, list.array("items").size(), "the list comes from the primary, which has every meeting");
    assertTrue(count(primary, e -> e.contains("app=parley-write") && e.contains(LIST_SQL)) > primaryLists,
      "the primary's log shows the list query from the write pool");
    // Within the retry window reads go straight to the primary.
    assertEquals(200, api.get("/api/v1/meetings?limit=50", host).status());
  }

  @Test
  @Order(4)
  @DisplayName("once the replica is back, reads return to it")
  void readsReturnToTheReplica() throws Exception {
    replica.start();
    long replicaLists = count(replica, e -> e.contains("app=parley-read") && e.contains(LIST_SQL));
    long deadline = System.currentTimeMillis() + 20_000;
    while (count(replica, e -> e.contains("app=parley-read") && e.contains(LIST_SQL)) == replicaLists) {
      assertTrue(System.currentTimeMillis() < deadline, "reads did not return to the replica within 20 s");
      Api.Response list = api.get("/api/v1/meetings?limit=50", host);
      assertEquals(200, list.status(), list.body());
      Thread.sleep(300);
    }
  }

  /** Lists until {@code expected} meetings show (the replica may lag the primary by a moment). */
  static JsonArray listUntil(int expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      Api.Response list = api.get("/api/v1/meetings?limit=50", host);
      assertEquals(200, list.status(), list.body());
      JsonArray items = list.array("items");
      if (items.size() >= expected || System.currentTimeMillis() > deadline) {
        return items;
      }
      Thread.sleep(100);
    }
  }

  static long count(LocalPostgres pg, Predicate<String> entry) throws java.io.IOException {
    List<String> entries = pg.logEntries();
    return entries.stream().filter(entry).count();
  }
}

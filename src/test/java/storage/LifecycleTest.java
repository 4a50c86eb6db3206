package storage;

import handlers.storage.LifecyclePass;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Storage lifecycle: hot to cool to archive by the tenant's days, deletion after retention, one pass at a time")
class LifecycleTest {

  static Parley server;
  static Api api;
  static StorageClient http;
  static Pool pg;
  static Redis redis;
  static Path blobRoot;
  static String tenant;
  static String admin;
  static String meetingId;

  @BeforeAll
  static void start() throws IOException {
    blobRoot = Files.createTempDirectory("parley-lifecycle-");
    server = TestServer.start(new JsonObject()
      .put("metrics", new JsonObject().put("refreshSeconds", 1))
      .put("blobs", new JsonObject().put("filesystem", new JsonObject().put("root", blobRoot.toString()).put("rehydrateDelayMs", 1500))
        .put("lifecycle", new JsonObject().put("intervalMinutes", 0))));
    api = new Api(server.vertx(), server.port());
    http = new StorageClient(server.vertx(), server.port());
    pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestInfra.dbUrl())).using(server.vertx()).build();
    redis = Redis.createClient(server.vertx(), TestInfra.redisUrl());
    tenant = TestServer.freshTenant("life");
    admin = api.token("Root", tenant, "admin");
    JsonObject config = api.get("/api/v1/tenant", admin).json().getJsonObject("config");
    config.put("retention", new JsonObject().put("hotDays", 2).put("coolDays", 5).put("retentionDays", 10));
    assertEquals(200, api.put("/api/v1/tenant", admin, config).status());
    meetingId = api.createMeeting(admin, "Archive me");
    api.join(admin, meetingId);
  }

  @AfterAll
  static void stop() {
    pg.close().await();
    redis.close();
    http.close();
    api.close();
    server.stop().await();
  }

  static String upload(int seed, double ageDays) {
    StorageClient.Reply r = http.upload("recordings", meetingId, admin, "video/webm", "r" + seed + ".webm",
      StorageClient.webm(20_000 + seed, seed));
    assertEquals(201, r.status(), r.body().toString());
    String id = r.json().getString("id");
    pg.preparedQuery("UPDATE stored_objects SET created_at = now() - make_interval(secs => $2) WHERE id = $1")
      .execute(Tuple.of(UUID.fromString(id), ageDays * 86_400)).await();
    return id;
  }

  static String tier(String id) {
    return pg.preparedQuery("SELECT tier FROM stored_objects WHERE id = $1").execute(Tuple.of(UUID.fromString(id))).await()
      .iterator().next().getString(0);
  }

  static long rows(String id) {
    return pg.preparedQuery("SELECT count(*) FROM stored_objects WHERE id = $1").execute(Tuple.of(UUID.fromString(id)))
      .await().iterator().next().getLong(0);
  }

  static boolean blobIn(String tierFolder, String id) throws IOException {
    try (Stream<Path> files = Files.walk(blobRoot)) {
      return files.filter(Files::isRegularFile).anyMatch(p -> p.getFileName().toString().startsWith(id)
        && blobRoot.relativize(p).getName(0).toString().equals(tierFolder));
    }
  }

  static JsonObject runPass() {
    StorageClient.Reply r = http.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/lifecycle/run", admin, Map.of(), null);
    assertEquals(200, r.status(), r.body().toString());
    return r.json();
  }

  @Test
  @DisplayName("a pass moves, archives and deletes by age; an archived recording answers 409, is restored, and downloads again")
  void pass() throws IOException {
    String fresh = upload(1, 0.5);
    String warm = upload(2, 3);
    String old = upload(3, 7);
    String expired = upload(4, 11);
    assertTrue(blobIn("hot", old), "new blobs start hot");

    JsonObject report = runPass();
    assertEquals(tenant, report.getString("tenant"));
    assertEquals(1, report.getLong("movedToCool"), report.encode());
    assertEquals(1, report.getLong("movedToArchive"), report.encode());
    assertEquals(1, report.getLong("deleted"), report.encode());
    assertEquals(0, report.getLong("errors"), report.encode());
    assertEquals("hot", tier(fresh));
    assertEquals("cool", tier(warm));
    assertEquals("archive", tier(old));
    assertEquals(0, rows(expired), "the expired recording's row is gone");
    assertTrue(blobIn("cool", warm) && blobIn("archive", old), "the blobs moved folders");
    assertTrue(!blobIn("hot", expired) && !blobIn("cool", expired) && !blobIn("archive", expired), "the expired blob is gone");
    assertEquals(404, http.get("/api/v1/recordings/" + expired, admin).status());
    assertEquals(200, http.get("/api/v1/recordings/" + warm, admin).status(), "cool blobs are served");

    StorageClient.Reply archived = http.get("/api/v1/recordings/" + old, admin);
    assertEquals(409, archived.status());
    assertTrue(archived.errorMessage().contains("archived"), archived.errorMessage());
    assertEquals(409, http.get("/api/v1/recordings/" + old + "/link", admin).status());

    JsonObject early = runPass();
    assertEquals(0, early.getLong("restored"), "still being restored: " + early.encode());
    assertEquals("archive", tier(old));
    Poll.until(() -> runPass().getLong("restored") == 1, "a pass sees the recording restored");
    assertEquals("cool", tier(old));
    assertEquals(200, http.get("/api/v1/recordings/" + old, admin).status(), "restored, it downloads again");
    JsonObject third = runPass();
    assertEquals(0, third.getLong("movedToArchive"), "a restored recording is not archived again at once: " + third.encode());

    Poll.until(() -> api.get("/metrics", null).body().contains("parley_storage_objects{tenant=\"" + tenant + "\",tier=\"cool\"} 2.0"),
      "the storage gauges show the tenant's two cool objects");
    String metrics = api.get("/metrics", null).body();
    assertTrue(metrics.contains("parley_storage_bytes{tenant=\"" + tenant + "\",tier=\"cool\"} " + (20_002 + 20_003 + 2 * 36) + ".0"),
      "cool bytes are the two recordings' sizes: " + metrics.lines().filter(l -> l.startsWith("parley_storage")).toList());
    assertTrue(metrics.contains("parley_storage_objects{tenant=\"" + tenant + "\",tier=\"hot\"} 1.0"), "one hot object");
  }

  @Test
  @DisplayName("while another node holds the lifecycle lock, a pass asked for is refused with 409")
  void oneAtATime() {
    redis.send(Request.cmd(Command.SET).arg(LifecyclePass.LOCK_KEY).arg("other-node").arg("PX").arg(30_000)).await();
    try {
      StorageClient.Reply r = http.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/lifecycle/run", admin, Map.of(), null);
      assertEquals(409, r.status());
      assertTrue(r.errorMessage().contains("already running"), r.errorMessage());
    } finally {
      redis.send(Request.cmd(Command.DEL).arg(LifecyclePass.LOCK_KEY)).await();
    }
    assertEquals(200, http.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/admin/lifecycle/run", admin, Map.of(), null).status());
  }
}

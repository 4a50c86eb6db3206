package tenant;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.Poll;
import support.TestInfra;
import support.TestServer;
import verticles.Parley;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built-in safety check of every chat message is metered, but in batches: the usage report
 * counts every check, PostgreSQL holds a row per batch (not one commit per message), and a server
 * that stops writes what it had gathered.
 */
@DisplayName("Free safety checks are metered in batches: every check counted, a row per batch, nothing lost at a stop")
class FreeChecksUsageTest {

  static Vertx vertx;
  static Pool pg;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(TestInfra.dbUrl())).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    pg.close().await();
    vertx.close().await();
  }

  /** {rows, calls} of the tenant's safety usage, straight from the table. */
  static long[] stored(String tenant) {
    Row r = pg.preparedQuery("SELECT count(*), coalesce(sum(calls), 0) FROM ai_usage WHERE tenant_id = $1 AND service = 'safety'")
      .execute(Tuple.of(tenant)).await().iterator().next();
    return new long[]{r.getLong(0), r.getLong(1)};
  }

  static Optional<JsonObject> reported(Api api, String admin) {
    return api.get("/api/v1/usage", admin).json().getJsonArray("ai").stream().map(JsonObject.class::cast)
      .filter(u -> "safety".equals(u.getString("service"))).findFirst();
  }

  static void send(Parley server, String token, String meetingId, int n, String prefix) {
    BridgeClient socket = BridgeClient.connect(server.vertx(), server.port(), token).await();
    for (int i = 0; i < n; i++) {
      socket.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", "hello number " + i)
        .put("clientId", prefix + i)).await();
    }
    socket.close().await();
  }

  @Test
  @DisplayName("60 messages: the report says 60 checks of the built-in detector, stored in far fewer rows; another tenant sees none")
  void batched() {
    Parley server = TestServer.start(new JsonObject().put("chat", new JsonObject().put("ratePerSecond", 1000).put("burst", 1000)));
    Api api = new Api(server.vertx(), server.port());
    try {
      String tenant = TestServer.freshTenant("checks");
      String ann = api.token("Ann", tenant, "admin");
      String other = api.token("Olga", TestServer.freshTenant("checks-other"), "admin");
      String id = api.createMeeting(ann, "Metered");
      api.join(ann, id);
      send(server, ann, id, 60, "b");
      Poll.until(() -> reported(api, ann).map(u -> u.getLong("calls") == 60).orElse(false),
        "the usage report counts all 60 checks");
      JsonObject usage = reported(api, ann).orElseThrow();
      assertEquals("builtin", usage.getString("provider"));
      assertEquals("checks", usage.getString("unit"));
      assertEquals(60.0, usage.getDouble("units"));
      assertEquals(0.0, usage.getDouble("estimatedCostUsd"));
      long[] rows = stored(tenant);
      assertEquals(60, rows[1], "every check is in the table");
      // the sends take a few seconds in all here; a row per second of them, not one per message
      assertTrue(rows[0] < 20, "a row per batch, not per message: " + rows[0] + " rows");
      assertTrue(reported(api, other).isEmpty(), "nothing for another tenant");
    } finally {
      api.close();
      server.stop().await();
    }
  }

  @Test
  @DisplayName("checks gathered in a long batch are written when the server stops")
  void writtenAtStop() {
    Parley server = TestServer.start(new JsonObject().put("ai", new JsonObject()
      .put("budget", new JsonObject().put("freeChecksBatchMs", 60_000))));
    Api api = new Api(server.vertx(), server.port());
    String tenant = TestServer.freshTenant("checks-stop");
    try {
      String ann = api.token("Ann", tenant, "admin");
      String id = api.createMeeting(ann, "Stopped");
      api.join(ann, id);
      send(server, ann, id, 5, "s");
      assertEquals(0, stored(tenant)[1], "gathered, not yet written (a one-minute batch)");
    } finally {
      api.close();
      server.stop().await();
    }
    assertEquals(5, stored(tenant)[1], "written at the stop");
    assertEquals(1, stored(tenant)[0], "in one row");
  }
}

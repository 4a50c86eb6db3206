package tenant;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Tenant configuration: admins read and replace it; bad values are refused")
class TenantConfigTest {

  static Parley server;
  static Api api;
  static String admin;
  static String member;
  static String otherAdmin;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    String tenant = TestServer.freshTenant("cfg");
    admin = api.token("Ada Admin", tenant, "admin");
    member = api.token("Mo Member", tenant);
    otherAdmin = api.token("Olga", TestServer.freshTenant("other"), "admin");
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("a new tenant sees the defaults; a replacement is stored, normalised and kept per tenant")
  void readAndReplace() {
    JsonObject defaults = api.get("/api/v1/tenant", admin).json().getJsonObject("config");
    assertEquals(new JsonArray().add("en"), defaults.getJsonArray("languages"));
    JsonObject update = new JsonObject()
      .put("languages", new JsonArray().add("en-US").add("es").add("ES"))
      .put("retention", new JsonObject().put("hotDays", 7).put("coolDays", 30).put("retentionDays", 400))
      .put("moderation", new JsonObject().put("pii", "block"))
      .put("aiBudgetUsd", 250.5);
    Api.Response put = api.put("/api/v1/tenant", admin, update);
    assertEquals(200, put.status(), put.body());
    JsonObject stored = api.get("/api/v1/tenant", admin).json().getJsonObject("config");
    assertEquals(new JsonArray().add("en").add("es"), stored.getJsonArray("languages"));
    assertEquals(7L, stored.getJsonObject("retention").getLong("hotDays"));
    assertEquals("block", stored.getJsonObject("moderation").getString("pii"));
    assertEquals(250.5, stored.getDouble("aiBudgetUsd"));
    assertEquals(new JsonArray().add("en"), api.get("/api/v1/tenant", otherAdmin).json().getJsonObject("config")
      .getJsonArray("languages"), "another tenant is unaffected");
  }

  @Test
  @DisplayName("non-admins get 403")
  void nonAdmin() {
    assertEquals(403, api.get("/api/v1/tenant", member).status());
    assertEquals(403, api.put("/api/v1/tenant", member, new JsonObject().put("aiBudgetUsd", 1)).status());
  }

  @Test
  @DisplayName("invalid values are 400 with a message naming the field, and nothing is stored")
  void invalid() {
    String before = api.get("/api/v1/tenant", admin).body();
    JsonObject[] bad = {
      new JsonObject().put("languages", new JsonArray()),
      new JsonObject().put("languages", new JsonArray().add("english!")),
      new JsonObject().put("retention", new JsonObject().put("hotDays", 90).put("coolDays", 30).put("retentionDays", 365)),
      new JsonObject().put("retention", new JsonObject().put("hotDays", "soon").put("coolDays", 30).put("retentionDays", 365)),
      new JsonObject().put("moderation", new JsonObject().put("pii", "shrug")),
      new JsonObject().put("aiBudgetUsd", -5),
      new JsonObject().put("colour", "blue"),
    };
    for (JsonObject body : bad) {
      Api.Response r = api.put("/api/v1/tenant", admin, body);
      assertEquals(400, r.status(), body.encode() + " -> " + r.body());
      assertTrue(r.errorMessage().length() > 10, r.errorMessage());
    }
    assertEquals(before, api.get("/api/v1/tenant", admin).body());
  }
}

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

import java.util.LinkedHashMap;
import java.util.Map;

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
    assertEquals(true, defaults.getBoolean("serverCaptions"), "the server captions SFU meetings by default");
    JsonObject update = new JsonObject()
      .put("languages", new JsonArray().add("en-US").add("en").add("EN"))
      .put("retention", new JsonObject().put("hotDays", 7).put("coolDays", 30).put("retentionDays", 400))
      .put("moderation", new JsonObject().put("pii", "block"))
      .put("aiBudgetUsd", 250.5)
      .put("serverCaptions", false);
    Api.Response put = api.put("/api/v1/tenant", admin, update);
    assertEquals(200, put.status(), put.body());
    JsonObject stored = api.get("/api/v1/tenant", admin).json().getJsonObject("config");
    assertEquals(new JsonArray().add("en"), stored.getJsonArray("languages"));
    assertEquals(7L, stored.getJsonObject("retention").getLong("hotDays"));
    assertEquals("block", stored.getJsonObject("moderation").getString("pii"));
    assertEquals(250.5, stored.getDouble("aiBudgetUsd"));
    assertEquals(false, stored.getBoolean("serverCaptions"));
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
    // each bad body, and the field its message must name
    Map<JsonObject, String> bad = new LinkedHashMap<>();
    bad.put(new JsonObject().put("languages", new JsonArray()), "languages");
    bad.put(new JsonObject().put("languages", new JsonArray().add("english!")), "languages[0]");
    // translation is off in this server: English is all it supports
    bad.put(new JsonObject().put("languages", new JsonArray().add("en").add("fr")),
      "languages: language 'fr' is not supported here; supported: en");
    bad.put(new JsonObject().put("retention", new JsonObject().put("hotDays", 90).put("coolDays", 30).put("retentionDays", 365)),
      "hotDays <= coolDays");
    bad.put(new JsonObject().put("retention", new JsonObject().put("hotDays", "soon").put("coolDays", 30).put("retentionDays", 365)),
      "retention.hotDays");
    bad.put(new JsonObject().put("moderation", new JsonObject().put("pii", "shrug")), "moderation.pii");
    bad.put(new JsonObject().put("aiBudgetUsd", -5), "aiBudgetUsd");
    bad.put(new JsonObject().put("colour", "blue"), "unknown field 'colour'");
    bad.put(new JsonObject().put("serverCaptions", "yes"), "serverCaptions");
    bad.forEach((body, field) -> {
      Api.Response r = api.put("/api/v1/tenant", admin, body);
      assertEquals(400, r.status(), body.encode() + " -> " + r.body());
      assertEquals("bad_request", r.errorCode(), r.body());
      assertTrue(r.errorMessage().contains(field), body.encode() + ": the message names " + field + ": " + r.errorMessage());
    });
    assertEquals(before, api.get("/api/v1/tenant", admin).body());
  }
}

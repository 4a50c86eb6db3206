package gateway;

import handlers.gateway.ApiContract;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.json.schema.OutputUnit;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Api;
import support.TestServer;
import verticles.Parley;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("The OpenAPI document: every route of the router and nothing else, served without a token, checked against")
class OpenApiDocumentTest {

  /** Routes with an exact path that are not REST operations: the audio WebSocket and the bridge's raw one (docs/ARCHITECTURE.md). */
  private static final Set<String> NOT_REST = Set.of("GET /ws/audio", "GET /eventbus/websocket");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  static Parley server;
  static Api api;
  static JsonObject document;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    document = api.get(ApiContract.PATH, null).json();
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("every route in the running router is in the document, and every operation in the document is routed")
  void routesMatchTheDocument() {
    Router router = ApiContract.router(server.vertx());
    assertNotNull(router, "the gateway registered its router with the contract");
    Set<String> routed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() == null || !route.isExactPath()) {
        continue; // handlers for every request, and prefixes (/api/v1/*, /eventbus/*, the web client)
      }
      assertTrue(route.methods() != null && !route.methods().isEmpty(), "an exact route names its methods: " + route.getPath());
      for (HttpMethod method : route.methods()) {
        String key = method.name() + " " + ApiContract.openApiPath(route.getPath());
        if (!NOT_REST.contains(key)) {
          routed.add(key);
        }
      }
    }
    Set<String> documented = new TreeSet<>();
    Set<String> operationIds = new HashSet<>();
    document.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).fieldNames().stream()
      .filter(METHODS::contains).forEach(method -> {
        documented.add(method.toUpperCase() + " " + path.getKey());
        String id = ((JsonObject) path.getValue()).getJsonObject(method).getString("operationId");
        assertNotNull(id, "operationId of " + method + " " + path.getKey());
        assertTrue(operationIds.add(id), "operationId " + id + " is used once");
      }));
    Set<String> undocumented = new TreeSet<>(routed);
    undocumented.removeAll(documented);
    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(routed);
    assertTrue(undocumented.isEmpty(), "routes missing from src/main/resources/openapi/parley.json: " + undocumented);
    assertTrue(unrouted.isEmpty(), "operations in the document that the router does not have: " + unrouted);
    assertTrue(routed.contains("POST /api/v1/meetings/{meetingId}/recordings/chunked"), routed.toString());
  }

  @Test
  @DisplayName("GET /api/v1/openapi.json answers without a token, as JSON, an OpenAPI 3.1 document valid against the 3.1 schema")
  void servedAndValid() {
    Api.Response r = api.get(ApiContract.PATH, null);
    assertEquals(200, r.status(), r.body());
    assertTrue(r.headers().get("Content-Type").startsWith("application/json"), r.headers().get("Content-Type"));
    JsonObject served = r.json();
    assertTrue(served.getString("openapi").startsWith("3.1."), served.getString("openapi"));
    OpenAPIVersion version = OpenAPIVersion.fromContract(served);
    assertEquals(OpenAPIVersion.V3_1, version);
    OutputUnit result = version.getRepository(server.vertx(), "app://")
      .compose(repository -> version.validateContract(server.vertx(), repository, served.copy())).await();
    assertTrue(result.getValid(), () -> "not valid OpenAPI 3.1: " + result.getErrors());
    assertEquals("http", served.getJsonObject("components").getJsonObject("securitySchemes")
      .getJsonObject("bearer").getString("type"));
  }

  @Test
  @DisplayName("a body failing the schema is 400 with the contract's error JSON naming the field, and nothing is stored")
  void invalidBodyIsRefused() {
    String tenant = TestServer.freshTenant("oas");
    String admin = api.token("Ada", tenant, "admin");
    String before = api.get("/api/v1/tenant", admin).body();

    Api.Response bound = api.put("/api/v1/tenant", admin,
      new JsonObject().put("aiBudgetUsd", 5).put("uploads", new JsonObject().put("maxFileBytes", 0)));
    assertEquals(400, bound.status(), bound.body());
    assertEquals("bad_request", bound.errorCode());
    // the bound comes from the document (components.schemas.Bytes), not from the service's own wording
    assertEquals("uploads.maxFileBytes must be at least 1", bound.errorMessage());
    assertTrue(bound.headers().get("Content-Type").startsWith("application/json"));

    Api.Response nested = api.put("/api/v1/tenant", admin, new JsonObject().put("retention",
      new JsonObject().put("hotDays", "soon").put("coolDays", 30).put("retentionDays", 365)));
    assertEquals(400, nested.status(), nested.body());
    assertTrue(nested.errorMessage().contains("retention.hotDays"), nested.errorMessage());

    Api.Response unknown = api.put("/api/v1/tenant", admin, new JsonObject().put("colour", "blue"));
    assertEquals(400, unknown.status(), unknown.body());
    assertTrue(unknown.errorMessage().contains("colour"), unknown.errorMessage());
    assertEquals(before, api.get("/api/v1/tenant", admin).body(), "the configuration is unchanged");

    String meetingsBefore = api.get("/api/v1/meetings?limit=100", admin).body();
    Api.Response title = api.post("/api/v1/meetings", admin, new JsonObject().put("title", new JsonArray().add("x")));
    assertEquals(400, title.status(), title.body());
    assertEquals("bad_request", title.errorCode());
    assertTrue(title.errorMessage().contains("title"), title.errorMessage());
    assertEquals(meetingsBefore, api.get("/api/v1/meetings?limit=100", admin).body(), "no meeting was created");
  }

  @Test
  @DisplayName("what the services answer with another status is left to them: 403 before 400, 413 for long strings")
  void otherStatusesStayTheServices() {
    String tenant = TestServer.freshTenant("oas");
    String member = api.token("Bo", tenant);
    Api.Response notAdmin = api.put("/api/v1/tenant", member, new JsonObject().put("colour", "blue"));
    assertEquals(403, notAdmin.status(), notAdmin.body());
    Api.Response longTitle = api.post("/api/v1/meetings", member, new JsonObject().put("title", "t".repeat(201))
      .put("scheduledAt", 5));
    assertEquals(413, longTitle.status(), longTitle.body());
    Api.Response noSeconds = api.post("/api/v1/meetings", member, new JsonObject().put("title", "Standup")
      .put("scheduledAt", "2030-01-31T09:00Z"));
    assertEquals(201, noSeconds.status(), "the service's timestamp parser accepts what format: date-time would not: "
      + noSeconds.body());
  }
}

package webclient;

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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web client's files come from the gateway with a strict CSP, without shadowing the API. */
@DisplayName("Web root: the client is served under a self-only CSP; the API, its 404s and its metrics are untouched")
class WebRootTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("webrtc", new JsonObject()
      .put("iceServers", new JsonArray().add(new JsonObject().put("urls", "stun:stun.example.org:3478")))));
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("GET / is the client's page with a Content-Security-Policy of 'self' only; its modules are JavaScript")
  void pageWithCsp() {
    Api.Response page = api.get("/", null);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<script type=\"module\" src=\"/js/app.js\">"), page.body());
    String csp = page.headers().get("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'") && csp.contains("media-src 'self' blob:"), csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains("http"), csp);
    Api.Response module = api.get("/js/app.js", null);
    assertEquals(200, module.status());
    assertTrue(module.headers().get("Content-Type").startsWith("text/javascript"), module.headers().get("Content-Type"));
  }

  @Test
  @DisplayName("missing files and unknown API routes still answer the JSON 404; the API still needs a token")
  void notFoundStaysJson() {
    Api.Response missing = api.get("/no-such-file.js", null);
    assertEquals(404, missing.status());
    assertEquals("not_found", missing.errorCode());
    String token = api.token("Wendy", TestServer.freshTenant("webroot"));
    Api.Response unknownApi = api.get("/api/v1/no-such-route", token);
    assertEquals(404, unknownApi.status());
    assertTrue(unknownApi.errorMessage().contains("no such endpoint"), unknownApi.body());
    assertEquals(401, api.get("/api/v1/meetings", null).status());
    assertEquals(404, api.get("/../pom.xml", null).status());
  }

  @Test
  @DisplayName("GET /api/v1/client-config gives signed-in callers the configured STUN/TURN servers")
  void clientConfig() {
    assertEquals(401, api.get("/api/v1/client-config", null).status(), "TURN credentials are not for anonymous callers");
    String token = api.token("Wendy", TestServer.freshTenant("webroot"));
    JsonObject config = api.get("/api/v1/client-config", token).json();
    assertEquals("stun:stun.example.org:3478", config.getJsonArray("iceServers").getJsonObject(0).getString("urls"));
    assertTrue(config.getBoolean("devSignIn"));
  }

  @Test
  @DisplayName("HTTP metrics keep route templates: an API call is labelled by its route, not by the web root's")
  void metricsLabels() {
    String token = api.token("Wendy", TestServer.freshTenant("webroot"));
    api.get("/api/v1/me", token);
    api.get("/", null);
    String metrics = api.get("/metrics", null).body();
    assertTrue(metrics.contains("route=\"/api/v1/me\""), "the API route keeps its own label");
    assertFalse(metrics.contains("route=\"/*>/api/v1/me\"") || metrics.contains("route=\"/api/v1/me>/*\""), "no web-root prefix");
  }
}

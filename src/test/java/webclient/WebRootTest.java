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
    assertFalse(csp.contains("unsafe-inline") || csp.contains("'unsafe-eval'") || csp.contains("http"), csp);
    // WebAssembly (the shared notes' Automerge) may be compiled, from the page's own files only; no eval of script text
    assertTrue(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), csp);
    Api.Response module = api.get("/js/app.js", null);
    assertEquals(200, module.status());
    assertTrue(module.headers().get("Content-Type").startsWith("text/javascript"), module.headers().get("Content-Type"));
  }

  @Test
  @DisplayName("the page's elements are balanced: every end tag closes the element last opened (a stray one would end the room early)")
  void pageIsWellNested() {
    String html = api.get("/", null).body().replaceAll("(?s)<!--.*?-->", "");
    java.util.Set<String> empty = java.util.Set.of("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
      "source", "track", "wbr", "!doctype");
    java.util.Deque<String> open = new java.util.ArrayDeque<>();
    java.util.regex.Matcher tag = java.util.regex.Pattern.compile("<(/?)([a-zA-Z!][a-zA-Z0-9-]*)[^>]*?(/?)>").matcher(html);
    while (tag.find()) {
      String name = tag.group(2).toLowerCase();
      int line = html.substring(0, tag.start()).split("\n", -1).length;
      if (!tag.group(1).isEmpty()) {
        assertFalse(open.isEmpty(), "</" + name + "> on line " + line + " closes nothing");
        assertEquals(open.peek(), name, "</" + name + "> on line " + line + " while <" + open.peek() + "> is open");
        open.pop();
      } else if (!empty.contains(name) && tag.group(3).isEmpty()) {
        open.push(name);
      }
    }
    assertTrue(open.isEmpty(), "left open: " + open);
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
  @DisplayName("GET /api/v1/client-config tells anyone how to sign in, and gives signed-in callers the STUN/TURN servers and the media mode")
  void clientConfig() {
    Api.Response anonymous = api.get("/api/v1/client-config", null);
    assertEquals(200, anonymous.status(), anonymous.body());
    assertTrue(anonymous.json().getBoolean("devSignIn"));
    assertTrue(anonymous.json().containsKey("oidc") && anonymous.json().getValue("oidc") == null, "no OIDC provider with the dev issuer");
    assertFalse(anonymous.json().containsKey("iceServers"), "TURN credentials are not for anonymous callers");
    assertEquals(401, api.get("/api/v1/client-config", "not.a.token").status(), "a bad token is still refused");
    String token = api.token("Wendy", TestServer.freshTenant("webroot"));
    JsonObject config = api.get("/api/v1/client-config", token).json();
    assertEquals("stun:stun.example.org:3478", config.getJsonArray("iceServers").getJsonObject(0).getString("urls"));
    assertTrue(config.getBoolean("devSignIn"));
    assertEquals(new JsonObject().put("mode", "mesh").put("meshMax", 4), config.getJsonObject("media"),
      "this test server uses the browser mesh (media.sfu=mesh)");
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

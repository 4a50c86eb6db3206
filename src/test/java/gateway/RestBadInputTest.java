package gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

@DisplayName("REST bad input: clear JSON errors with the right status, never a stack trace, nothing half-written")
class RestBadInputTest {

  static Parley server;
  static Api api;
  static String token;
  static String tenant;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("http", new JsonObject().put("maxBodyBytes", 4096)));
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("bad");
    token = api.token("Bea", tenant);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  private static void assertError(Api.Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.errorCode());
    assertFalse(r.body().contains("Exception"), "no exception names leak: " + r.body());
    assertFalse(r.body().contains("\tat "), "no stack trace leaks");
    assertTrue(r.headers().get("Content-Type").startsWith("application/json"));
  }

  /** The tenant's meeting list, re-read to show a refused request stored nothing. */
  private static String meetings() {
    Api.Response list = api.get("/api/v1/meetings?limit=100", token);
    assertEquals(200, list.status(), list.body());
    return list.body();
  }

  @Test
  @DisplayName("malformed JSON is 400")
  void malformedJson() {
    String before = meetings();
    assertError(api.send(HttpMethod.POST, "/api/v1/meetings", token, Buffer.buffer("{\"title\": "), "application/json"),
      400, "bad_request");
    assertError(api.send(HttpMethod.POST, "/api/v1/meetings", token, Buffer.buffer("[1,2]"), "application/json"),
      400, "bad_request");
    assertEquals(before, meetings(), "malformed JSON created nothing");
  }

  @Test
  @DisplayName("wrong types and missing fields are 400 naming the field")
  void wrongTypesAndMissingFields() {
    String before = meetings();
    Api.Response missing = api.post("/api/v1/meetings", token, new JsonObject());
    assertError(missing, 400, "bad_request");
    assertTrue(missing.errorMessage().contains("title"));
    Api.Response wrongType = api.post("/api/v1/meetings", token, new JsonObject().put("title", 42));
    assertError(wrongType, 400, "bad_request");
    assertTrue(wrongType.errorMessage().contains("title"));
    assertError(api.post("/api/v1/meetings", token, new JsonObject().put("title", "x").put("scheduledAt", "tomorrow")),
      400, "bad_request");
    assertEquals(before, meetings(), "wrong types and missing fields created nothing");
    assertError(api.get("/api/v1/meetings?limit=0", token), 400, "bad_request");
    assertError(api.get("/api/v1/meetings?limit=abc", token), 400, "bad_request");
    assertError(api.get("/api/v1/meetings?status=paused", token), 400, "bad_request");
    assertError(api.get("/api/v1/meetings?cursor=not-a-cursor", token), 400, "bad_request");
  }

  @Test
  @DisplayName("a body over the configured limit is 413 and creates nothing")
  void oversizedBody() {
    String before = meetings();
    String huge = "x".repeat(10_000);
    assertError(api.post("/api/v1/meetings", token, new JsonObject().put("title", huge)), 413, "too_large");
    assertEquals(before, meetings(), "the oversized body created nothing");
    assertError(api.post("/api/v1/meetings", token, new JsonObject().put("title", "t".repeat(201))), 413, "too_large");
    assertEquals(before, meetings(), "the over-long title created nothing");
  }

  @Test
  @DisplayName("a body that is not JSON is 415")
  void wrongContentType() {
    String before = meetings();
    assertError(api.send(HttpMethod.POST, "/api/v1/meetings", token, Buffer.buffer("title=x"),
      "application/x-www-form-urlencoded"), 415, "unsupported_type");
    assertEquals(before, meetings(), "a body that is not JSON created nothing");
  }

  @Test
  @DisplayName("unknown meeting ids and unknown endpoints are 404")
  void unknownIds() {
    assertError(api.get("/api/v1/meetings/00000000-0000-0000-0000-000000000000", token), 404, "not_found");
    assertError(api.get("/api/v1/meetings/..%2F..%2Fetc", token), 404, "not_found");
    assertError(api.post("/api/v1/meetings/not-a-uuid/join", token, null), 404, "not_found");
    assertError(api.get("/api/v1/nothing-here", token), 404, "not_found");
  }

  @Test
  @DisplayName("missing, malformed and forged tokens are 401 with a reason")
  void unauthorised() {
    assertError(api.get("/api/v1/meetings", null), 401, "unauthorized");
    assertError(api.get("/api/v1/meetings", "not.a.jwt"), 401, "unauthorized");
    assertError(api.get("/api/v1/meetings", "garbage"), 401, "unauthorized");
    String[] parts = token.split("\\.");
    String tamperedPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
      new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(parts[1]))).put("tid", "someone-else").encode().getBytes());
    assertError(api.get("/api/v1/meetings", parts[0] + "." + tamperedPayload + "." + parts[2]), 401, "unauthorized");
    String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    assertError(api.get("/api/v1/meetings", none + "." + parts[1] + "."), 401, "unauthorized");
  }

  @Test
  @DisplayName("the dev issuer refuses bad sign-in requests")
  void devTokenBadInput() {
    assertError(api.post("/api/v1/auth/dev-token", null, new JsonObject().put("name", "A")), 400, "bad_request");
    assertError(api.post("/api/v1/auth/dev-token", null, new JsonObject().put("name", "A").put("tenant", "Bad Tenant!")),
      400, "bad_request");
    assertError(api.post("/api/v1/auth/dev-token", null, new JsonObject().put("name", "A").put("tenant", "t")
      .put("roles", "admin")), 400, "bad_request");
    assertError(api.send(HttpMethod.POST, "/api/v1/auth/dev-token", null, Buffer.buffer("nope"), "application/json"),
      400, "bad_request");
  }
}

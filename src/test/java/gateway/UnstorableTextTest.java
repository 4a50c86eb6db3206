package gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Text PostgreSQL cannot store (NUL, an unpaired surrogate) is a 400 naming the field, never a 503, and stores nothing")
class UnstorableTextTest {

  static Parley server;
  static Api api;
  static String tenant;
  static String admin;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    tenant = TestServer.freshTenant("nul");
    admin = api.token("Ada", tenant, "admin");
    meetingId = api.createMeeting(admin, "Clean");
    api.join(admin, meetingId);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  private static void assertBadRequest(Api.Response r, String field) {
    assertEquals(400, r.status(), r.body());
    assertEquals("bad_request", r.errorCode());
    assertTrue(r.errorMessage().startsWith(field + " contains a character that cannot be stored"), r.errorMessage());
  }

  @Test
  @DisplayName("a meeting title with NUL or a lone surrogate: 400, no meeting created")
  void meetingTitle() {
    assertBadRequest(api.post("/api/v1/meetings", admin, new JsonObject().put("title", "a\u0000b")), "title");
    assertBadRequest(api.send(HttpMethod.POST, "/api/v1/meetings", admin,
      Buffer.buffer("{\"title\":\"half \\ud83d pair\"}"), "application/json"), "title");
    assertEquals(1, api.get("/api/v1/meetings?limit=100", admin).array("items").size(), "only the first meeting exists");
  }

  @Test
  @DisplayName("chat over the bridge with NUL: a 400 error frame, nothing stored")
  void chatText() {
    BridgeClient bridge = BridgeClient.connect(server.vertx(), server.port(), admin).await();
    try {
      BridgeClient.BridgeError refused = assertThrows(BridgeClient.BridgeError.class, () -> bridge.request("chat.send",
        new JsonObject().put("meetingId", meetingId).put("clientId", "nul-1").put("text", "a\u0000b")).await());
      assertEquals(400, refused.code);
      assertTrue(refused.getMessage().contains("text contains a character that cannot be stored"), refused.getMessage());
      assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat", admin).array("messages").isEmpty());
    } finally {
      bridge.close().await();
    }
  }

  @Test
  @DisplayName("a dev sign-in name, a tenant configuration value or key, a chunked recording's name: 400, nothing changed")
  void namesAndConfiguration() {
    assertBadRequest(api.post("/api/v1/auth/dev-token", null, new JsonObject().put("name", "A\u0000da").put("tenant", tenant)), "name");
    JsonObject before = api.get("/api/v1/tenant", admin).json();
    JsonObject moderation = new JsonObject().put("pii", "redact").put("categories", new JsonObject()
      .put("insult\u0000", new JsonObject().put("redactAt", 2)));
    // The gateway's schema check may answer first (an unknown category, a language pattern): a 400 either way.
    for (JsonObject config : new JsonObject[]{new JsonObject().put("moderation", moderation),
      new JsonObject().put("languages", new JsonArray().add("en").add("e\u0000s"))}) {
      Api.Response r = api.put("/api/v1/tenant", admin, config);
      assertEquals(400, r.status(), r.body());
      assertEquals("bad_request", r.errorCode());
    }
    assertEquals(before, api.get("/api/v1/tenant", admin).json(), "the configuration is unchanged");
    assertBadRequest(api.post("/api/v1/meetings/" + meetingId + "/recordings/chunked", admin,
      new JsonObject().put("contentType", "video/webm").put("name", "take\u00001.webm")), "name");
  }

  @Test
  @DisplayName("a shared file named with %00 is stored under its name without the NUL")
  void fileName() {
    Api.Response upload = api.sendWithHeader("/api/v1/meetings/" + meetingId + "/files", admin, "X-File-Name", "notes%00.txt",
      Buffer.buffer("plain text notes\n"), "text/plain");
    assertEquals(201, upload.status(), upload.body());
    assertEquals("notes.txt", upload.json().getString("name"));
  }
}

package tenant;

import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Tenants: another tenant's ids are 404 everywhere, over REST and over the bridge")
class TenantIsolationTest {

  static Parley server;
  static Api api;
  static String alice;
  static String mallory;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    alice = api.token("Alice", TestServer.freshTenant("acme"));
    mallory = api.token("Mallory", TestServer.freshTenant("evil"), "admin");
    meetingId = api.createMeeting(alice, "Board meeting");
    api.join(alice, meetingId);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @Test
  @DisplayName("REST reads and actions on another tenant's meeting answer 404 and change nothing")
  void restIsolation() {
    String base = "/api/v1/meetings/" + meetingId;
    assertEquals(404, api.get(base, mallory).status());
    assertEquals(404, api.join(mallory, meetingId).status());
    assertEquals(404, api.post(base + "/leave", mallory, null).status());
    assertEquals(404, api.post(base + "/end", mallory, null).status());
    assertEquals(404, api.get(base + "/participants", mallory).status());
    assertEquals(404, api.get(base + "/chat", mallory).status());
    assertTrue(api.get("/api/v1/meetings", mallory).array("items").isEmpty(), "the list shows only the caller's tenant");
    JsonObject meeting = api.get(base, alice).json();
    assertEquals(1, meeting.getJsonArray("participants").size(), "nobody from the other tenant was added");
    assertEquals("live", meeting.getString("status"));
  }

  @Test
  @DisplayName("over the bridge, another tenant's meeting is refused with 404 before any effect")
  void bridgeIsolation() {
    BridgeClient bridge = BridgeClient.connect(server.vertx(), server.port(), mallory).await();
    try {
      BridgeClient.BridgeError chat = assertThrows(BridgeClient.BridgeError.class, () -> bridge.request("chat.send",
        new JsonObject().put("meetingId", meetingId).put("text", "hi").put("clientId", "c1")).await());
      assertEquals(404, chat.code);
      BridgeClient.BridgeError register = assertThrows(BridgeClient.BridgeError.class,
        () -> bridge.registerExpectingRefusal("meeting." + meetingId + ".chat").await());
      assertEquals(404, register.code);
      assertEquals(0, api.get("/api/v1/meetings/" + meetingId + "/chat", alice).array("messages").size());
    } finally {
      bridge.close().await();
    }
  }
}

package webclient;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BrowserSpec;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web client's bridge signs in with its first frame's {@code authorization} header instead of
 * a token in the socket URL (which the server would keep for the socket's life, four copies of it,
 * and which shows in access logs). {@code e2e/bridge-signin.mjs} drives the real {@code bridge.js}
 * under Node's WebSocket against this server: a forged token is refused with 401 and the client opens
 * a new socket with a fresh one; a send right behind the signing-in frame is answered.
 */
@DisplayName("Web client bridge: signs in with the first frame, not the URL; a refused sign-in reopens the socket with a fresh token")
class BridgeSignInTest {

  static Parley server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (server != null) {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("forged token: 401 once, a new socket with the renewed token signs in, its registration works; no URL has a token")
  void signsInWithTheFirstFrame() throws Exception {
    BrowserSpec.requireNode("bridge-signin");
    String tenant = TestServer.freshTenant("signin");
    String ann = api.token("Ann", tenant);
    String ben = api.token("Ben", tenant);
    String meetingId = api.meetingWith(ann, "Sign-in by frame", ben);
    String output = BrowserSpec.run("bridge-signin.mjs", List.of("http://127.0.0.1:" + server.port(), ann, ben, meetingId),
      Map.of("NODE_OPTIONS", "--experimental-websocket"), 90);
    assertTrue(output.contains("none with a token"), output);
    // what the script sent is stored, as Ann
    var messages = api.get("/api/v1/meetings/" + meetingId + "/chat", ben).array("messages");
    JsonObject first = messages.stream().map(JsonObject.class::cast)
      .filter(m -> "signin-1".equals(m.getString("clientId"))).findFirst().orElseThrow(() -> new AssertionError(messages.encode()));
    assertEquals(api.userId(ann), first.getString("senderId"), first.encode());
  }
}

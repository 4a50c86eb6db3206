package bridge;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Sockets signed in by the cookie check Origin: another site's page cannot act as the user (cross-site WebSocket hijacking)")
class SocketOriginTest {

  static Parley sameOrigin;
  static Parley configured;
  static Api api;
  static String token;
  static String configuredToken;
  static String meetingId;

  @BeforeAll
  static void start() {
    sameOrigin = TestServer.start();
    configured = TestServer.start(new JsonObject().put("http", new JsonObject()
      .put("publicUrl", "https://meet.example.com/").put("allowedOrigins", new JsonArray().add("http://app.example.org:8443"))));
    api = new Api(sameOrigin.vertx(), sameOrigin.port());
    token = api.token("Ada", TestServer.freshTenant("origin"));
    meetingId = api.createMeeting(token, "Origins");
    api.join(token, meetingId);
    Api other = new Api(configured.vertx(), configured.port());
    configuredToken = other.token("Ben", TestServer.freshTenant("origin"));
    other.close();
  }

  @AfterAll
  static void stop() {
    api.close();
    sameOrigin.stop().await();
    configured.stop().await();
  }

  /** Opens {@code uri} as a browser page at {@code origin} would, with the sign-in cookie or the token in the query. */
  private static int open(Parley server, String uri, String origin, boolean cookie) {
    String token = server == configured ? configuredToken : SocketOriginTest.token;
    WebSocketClient client = server.vertx().createWebSocketClient();
    try {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(cookie ? uri : uri + (uri.contains("?") ? "&" : "?") + "access_token=" + token);
      if (cookie) {
        options.addHeader("Cookie", "parley_token=" + token);
      }
      if (origin != null) {
        options.addHeader("Origin", origin);
      }
      try {
        WebSocket ws = client.connect(options).await();
        ws.close().await();
        return 101;
      } catch (UpgradeRejectedException e) {
        if (e.getStatus() == 403) {
          assertEquals("forbidden", new JsonObject(e.getBody()).getJsonObject("error").getString("code"));
          assertTrue(new JsonObject(e.getBody()).getJsonObject("error").getString("message").contains(origin), e.getBody().toString());
        }
        return e.getStatus();
      }
    } finally {
      client.close();
    }
  }

  @Test
  @DisplayName("without configured origins: the cookie works from the server's own origin and is refused (403) from any other")
  void sameOriginByDefault() {
    String self = "http://127.0.0.1:" + sameOrigin.port();
    for (String uri : new String[]{"/eventbus/websocket", "/eventbus/100/s1/websocket", "/ws/audio?meetingId=" + meetingId}) {
      assertEquals(403, open(sameOrigin, uri, "http://evil.example", true), uri);
      assertEquals(403, open(sameOrigin, uri, "null", true), uri + " from a sandboxed page");
      assertEquals(403, open(sameOrigin, uri, "http://127.0.0.1:" + (sameOrigin.port() + 1), true), uri + " another port");
      assertEquals(101, open(sameOrigin, uri, self, true), uri);
      assertEquals(101, open(sameOrigin, uri, null, true), uri + " without Origin (not a browser)");
      assertEquals(101, open(sameOrigin, uri, "http://evil.example", false), uri + " with the token passed explicitly");
    }
  }

  @Test
  @DisplayName("with http.publicUrl and http.allowedOrigins: exactly those origins may use the cookie")
  void configuredOrigins() {
    String uri = "/eventbus/websocket";
    assertEquals(101, open(configured, uri, "https://meet.example.com", true));
    assertEquals(101, open(configured, uri, "https://MEET.example.com:443", true), "case and default port do not matter");
    assertEquals(101, open(configured, uri, "http://app.example.org:8443", true));
    assertEquals(403, open(configured, uri, "http://meet.example.com", true), "another scheme is another origin");
    assertEquals(403, open(configured, uri, "https://meet.example.com.evil.example", true));
    assertEquals(403, open(configured, uri, "http://127.0.0.1:" + configured.port(), true),
      "once origins are configured, the Host is not trusted instead");
  }
}

package bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.Api;
import support.TestServer;
import verticles.Parley;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("SockJS: only the WebSocket transports are on; the polling and streaming fallbacks answer a clean 404")
class SockJsTransportsTest {

  static Parley server;
  static Api api;
  static String token;
  static String meetingId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    token = api.token("Ada", TestServer.freshTenant("sockjs"));
    meetingId = api.createMeeting(token, "Transports");
    api.join(token, meetingId);
  }

  @AfterAll
  static void stop() {
    api.close();
    server.stop().await();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"POST, xhr", "POST, xhr_send", "POST, xhr_streaming", "GET, eventsource", "GET, htmlfile?c=cb", "GET, jsonp?c=cb",
    "POST, jsonp_send"})
  @DisplayName("a fallback transport is 404 with the contract's error JSON, with or without a token")
  void fallbackIs404(String method, String transport) {
    for (String t : new String[]{null, token}) {
      String path = "/eventbus/123/" + (t == null ? "anon" : "sess") + "/" + transport
        + (t == null ? "" : (transport.contains("?") ? "&" : "?") + "access_token=" + t);
      Api.Response r = api.send(HttpMethod.valueOf(method), path, null,
        method.equals("POST") ? Buffer.buffer("[\"{}\"]") : null, method.equals("POST") ? "text/plain" : null);
      assertEquals(404, r.status(), path + ": " + r.body());
      assertEquals("not_found", r.errorCode(), r.body());
    }
  }

  @Test
  @DisplayName("/eventbus/info offers WebSocket, and SockJS's WebSocket transport carries a chat message")
  void webSocketTransportWorks() throws Exception {
    assertTrue(api.get("/eventbus/info", null).json().getBoolean("websocket"));
    WebSocketClient client = server.vertx().createWebSocketClient();
    try {
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      ClientWebSocket ws = client.webSocket();
      ws.textMessageHandler(frames::add); // before the connection opens, so that the open frame is not missed
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI("/eventbus/200/s1/websocket?access_token=" + token)).await();
      assertEquals("o", frames.poll(10, TimeUnit.SECONDS), "the SockJS open frame");
      String send = new JsonObject().put("type", "send").put("address", "chat.send").put("replyAddress", "r1")
        .put("body", new JsonObject().put("meetingId", meetingId).put("clientId", "sockjs-1").put("text", "over SockJS")).encode();
      ws.writeTextMessage(new io.vertx.core.json.JsonArray().add(send).encode()).await();
      String reply = frames.poll(10, TimeUnit.SECONDS);
      assertNotNull(reply, "a reply frame");
      assertTrue(reply.startsWith("a[") && reply.contains("seq"), reply);
      assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat", token).array("messages").stream()
        .anyMatch(m -> "over SockJS".equals(((JsonObject) m).getString("text"))), "stored");
    } finally {
      client.close();
    }
  }
}

package bridge;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.Api;
import support.Poll;
import support.TestServer;
import verticles.Parley;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway serves the bridge's WebSocket transports itself and fans a message out as one shared,
 * pre-encoded frame; what a client receives must stay byte for byte what Vert.x's own SockJS
 * transports send. A reference server (Vert.x's SockJS handler and bridge, on the same event bus)
 * and Parley get the same published chat message; their frames are compared.
 */
@DisplayName("Bridge frames: a fanned-out chat message is byte for byte what Vert.x's own SockJS transports send")
class BridgeFramesTest {

  /** Quotes, backslashes, control characters, non-ASCII, a surrogate pair, U+2028, and HTML. */
  static final String TRICKY = "He said \"hi\" \\ back\ttab — ünïcødé, 日本語, 😀, \u2028 line </script> & 'quotes'";

  static Parley server;
  static Api api;
  static HttpServer reference;
  static WebSocketClient client;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject());
    api = new Api(server.vertx(), server.port());
    Vertx vertx = server.vertx();
    Router router = Router.router(vertx);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(new SockJSBridgeOptions()
      .addOutboundPermitted(new PermittedOptions().setAddressRegex("meeting\\..+\\.chat"))));
    reference = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    client = vertx.createWebSocketClient();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    reference.close().await();
    api.close();
    server.stop().await();
  }

  @ParameterizedTest(name = "{0} transport")
  @ValueSource(strings = {"sockjs", "raw"})
  @DisplayName("the chat delivery frame, the open frame and the reply frames are framed as Vert.x frames them")
  void framesAreVertxs(String transport) {
    boolean sockJs = transport.equals("sockjs");
    String tenant = TestServer.freshTenant("frames");
    String ann = api.token("Ann", tenant);
    String meeting = api.createMeeting(ann, "Frames");
    api.join(ann, meeting);
    String address = "meeting." + meeting + ".chat";
    String path = sockJs ? "/eventbus/42/" + transport + meeting.substring(0, 8) + "/websocket" : "/eventbus/websocket";

    List<byte[]> parley = new CopyOnWriteArrayList<>();
    List<byte[]> vertx = new CopyOnWriteArrayList<>();
    WebSocket ours = connect(server.port(), path + "?access_token=" + ann, parley);
    WebSocket theirs = connect(reference.actualPort(), path, vertx);
    if (sockJs) {
      Poll.until(Duration.ofSeconds(10), () -> parley.size() == 1 && vertx.size() == 1, "both open frames");
      assertArrayEquals(vertx.get(0), parley.get(0), "the open frame");
      assertEquals("o", text(parley.get(0)));
      parley.clear();
      vertx.clear();
    }
    // Parley: a ping (membership now cached), the register, a ping answered after it.
    JsonObject ping = new JsonObject().put("type", "send").put("address", "presence.ping")
      .put("body", new JsonObject().put("meetingId", meeting)).put("replyAddress", "r1");
    send(ours, sockJs, ping);
    Poll.until(Duration.ofSeconds(10), () -> parley.size() == 1, "the first ping's reply");
    send(ours, sockJs, new JsonObject().put("type", "register").put("address", address));
    send(ours, sockJs, ping.copy().put("replyAddress", "r2"));
    Poll.until(Duration.ofSeconds(10), () -> parley.size() == 2, "the second ping's reply");
    // The reference: the register, then a refused one, whose error frame comes after the first is done.
    send(theirs, sockJs, new JsonObject().put("type", "register").put("address", address));
    send(theirs, sockJs, new JsonObject().put("type", "register").put("address", "not.permitted"));
    Poll.until(Duration.ofSeconds(10), () -> vertx.size() == 1, "the reference's refusal");
    assertTrue(text(vertx.get(0)).contains("access_denied"), text(vertx.get(0)));
    parley.clear();
    vertx.clear();

    JsonObject body = new JsonObject().put("meetingId", meeting).put("text", TRICKY).put("clientId", "frames-" + transport);
    send(ours, sockJs, new JsonObject().put("type", "send").put("address", "chat.send").put("body", body).put("replyAddress", "r3"));
    Poll.until(Duration.ofSeconds(10), () -> parley.size() == 2 && vertx.size() == 1, "the delivery on both, and the reply");
    byte[] reference = vertx.get(0);
    byte[] delivery = parley.stream().filter(f -> text(f).contains("rec") && !text(f).contains("r3")).findFirst().orElseThrow();
    assertArrayEquals(reference, delivery, "the delivery frame:\n vertx:  " + text(reference) + "\n parley: " + text(delivery));
    if (sockJs) {
      for (byte b : delivery) {
        assertTrue(b >= 0x20 && b < 0x7f, "SockJS frames are printable ASCII (everything else escaped)");
      }
    }
    String decoded = sockJs ? new io.vertx.core.json.JsonArray(text(delivery).substring(1)).getString(0) : text(delivery);
    JsonObject envelope = new JsonObject(decoded);
    assertEquals(address, envelope.getString("address"));
    assertEquals(TRICKY, envelope.getJsonObject("body").getString("text"), "the text arrives intact");
    ours.close().await();
    theirs.close().await();
  }

  private static WebSocket connect(int port, String uri, List<byte[]> frames) {
    ClientWebSocket ws = client.webSocket();
    // handlers set before the connection opens, so that SockJS's open frame is not missed
    ws.frameHandler(frame -> {
      if (frame.isText() || frame.isBinary()) {
        String text = frame.isText() ? frame.textData() : null;
        if (!"h".equals(text)) {
          frames.add(frame.binaryData().getBytes());
        }
      }
    });
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)).await();
    return ws;
  }

  private static void send(WebSocket ws, boolean sockJs, JsonObject frame) {
    String json = frame.encode();
    ws.writeTextMessage(sockJs ? new io.vertx.core.json.JsonArray().add(json).encode() : json);
  }

  private static String text(byte[] frame) {
    return new String(frame, StandardCharsets.UTF_8);
  }
}

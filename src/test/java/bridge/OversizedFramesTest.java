package bridge;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import support.Api;
import support.TestServer;
import verticles.Parley;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A frame too large for the transport (bridge over 256 KiB, audio over 256 KiB) closes the socket with 1009 at once, logged in one line")
class OversizedFramesTest {

  static Parley server;
  static Api api;
  static String token;
  static String meetingId;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server.vertx(), server.port());
    String tenant = TestServer.freshTenant("frames");
    token = api.token("Ada", tenant);
    meetingId = api.createMeeting(token, "Big frames");
    api.join(token, meetingId);
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    api.close();
    server.stop().await();
  }

  /** Opens {@code uri}, sends one message of {@code bytes}, and returns the close code the server sent. */
  private static short sendAndAwaitClose(String uri, int bytes, boolean binary, boolean compressed) throws Exception {
    WebSocketClient client = server.vertx().createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(4 << 20).setMaxMessageSize(4 << 20).setTryUsePerMessageCompression(compressed));
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.port())
        .setURI(uri + "&access_token=" + token)).await();
      Promise<Short> closed = Promise.promise();
      ws.closeHandler(v -> closed.tryComplete(ws.closeStatusCode()));
      if (binary) {
        ws.writeBinaryMessage(Buffer.buffer(new byte[bytes])).await();
      } else {
        String text = new JsonObject().put("type", "send").put("address", "chat.send").put("replyAddress", "r1")
          .put("body", new JsonObject().put("meetingId", meetingId).put("clientId", "big").put("text", "z".repeat(bytes))).encode();
        ws.writeTextMessage(text).await();
      }
      // Bounded: a socket left hanging would only be dropped by the 30 s ping timeout.
      return closed.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      client.close();
    }
  }

  @ParameterizedTest(name = "{0} of {1} bytes, permessage-deflate {2}")
  @CsvSource({
    "bridge, 1048576, true", "bridge, 1048576, false", "bridge, 300000, true",
    "audio, 307200, true", "audio, 307200, false"})
  @DisplayName("closed with 1009, no stack trace in the log, nothing stored, the server still answers")
  void closedWith1009(String socket, int bytes, boolean compressed) throws Exception {
    log.list.clear();
    boolean audio = socket.equals("audio");
    String uri = audio ? "/ws/audio?meetingId=" + meetingId + "&lang=en-US" : "/eventbus/websocket?x=1";
    assertEquals(1009, sendAndAwaitClose(uri, bytes, audio, compressed), "close code 1009 (message too big)");
    List<ILoggingEvent> events = List.copyOf(log.list);
    assertTrue(events.stream().noneMatch(e -> e.getThrowableProxy() != null),
      () -> "no stack trace logged: " + events.stream().filter(e -> e.getThrowableProxy() != null)
        .map(e -> e.getLoggerName() + " " + e.getFormattedMessage()).toList());
    assertTrue(events.stream().anyMatch(e -> e.getFormattedMessage().contains("closed with 1009")),
      () -> "one line says why: " + events.stream().map(ILoggingEvent::getFormattedMessage).toList());
    assertTrue(api.get("/api/v1/meetings/" + meetingId + "/chat?limit=500", token).array("messages").isEmpty(),
      "nothing was stored");
    assertEquals(200, api.get("/health/live", null).status());
  }
}

package bridge;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import support.Api;
import support.BridgeClient;
import support.TestServer;
import verticles.Parley;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Browsers offer permessage-deflate in every WebSocket handshake. By default the server declines it
 * (every socket of a meeting is then sent the same bytes; agreed to, each socket deflated each frame
 * by itself: see {@code http.webSocketCompression} in the README); with the setting on it agrees, and
 * the fanned-out frames still arrive whole.
 */
@DisplayName("Bridge sockets: the permessage-deflate that browsers offer is declined unless http.webSocketCompression")
class WebSocketCompressionTest {

  @Test
  @DisplayName("default: offered, declined (no Sec-WebSocket-Extensions in the answer); a chat message is delivered")
  void declinedByDefault() throws Exception {
    Parley server = TestServer.start(new JsonObject());
    try {
      String extensions = deliveredOverDeflateOffer(server);
      assertNull(extensions, "the server declined the extension");
    } finally {
      server.stop().await();
    }
  }

  @Test
  @DisplayName("http.webSocketCompression=true: agreed to, and the fanned-out message still arrives whole")
  void agreedWhenConfigured() throws Exception {
    Parley server = TestServer.start(new JsonObject().put("http", new JsonObject().put("webSocketCompression", true)));
    try {
      String extensions = deliveredOverDeflateOffer(server);
      assertTrue(extensions != null && extensions.contains("permessage-deflate"), "agreed: " + extensions);
    } finally {
      server.stop().await();
    }
  }

  /**
   * Ann and Ben in a meeting; Ben's socket offers permessage-deflate, registers for the chat, and
   * must receive Ann's message whole. Returns the extensions the server's handshake answer names.
   */
  private static String deliveredOverDeflateOffer(Parley server) throws Exception {
    Vertx vertx = server.vertx();
    Api api = new Api(vertx, server.port());
    try {
      String tenant = TestServer.freshTenant("deflate");
      String ann = api.token("Ann", tenant);
      String ben = api.token("Ben", tenant);
      String meetingId = api.meetingWith(ann, "Deflate", ben);
      String text = "a message long enough to be worth compressing ".repeat(20).strip();
      CompletableFuture<JsonObject> delivered = new CompletableFuture<>();
      BridgeClient receiver = BridgeClient.connect(vertx, server.port(), ben,
        new WebSocketClientOptions().setTryUsePerMessageCompression(true)).await();
      receiver.register("meeting." + meetingId + ".chat", meetingId, delivered::complete).await();
      BridgeClient sender = BridgeClient.connect(vertx, server.port(), ann).await();
      sender.request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", text).put("clientId", "deflate-1")).await();
      sender.close().await();
      assertEquals(text, delivered.get(10, TimeUnit.SECONDS).getString("text"), "delivered whole");
      String extensions = receiver.socket().headers().get("sec-websocket-extensions");
      receiver.close().await();
      return extensions;
    } finally {
      api.close();
    }
  }
}

package handlers.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Fan-out frames encoded once: the same bytes as Netty's WebSocket encoder, and only where no extension transforms frames")
class SharedFrameTest {

  @Test
  @DisplayName("text and binary frames of 0 to 70,000 bytes (each length form: 7, 16 and 64 bits) equal Netty's server encoding")
  void sameBytesAsNetty() {
    for (int length : new int[]{0, 1, 125, 126, 127, 4_000, 65_535, 65_536, 70_000}) {
      byte[] payload = new byte[length];
      Arrays.fill(payload, (byte) 'x');
      for (BridgeWebSocket.Framing framing : BridgeWebSocket.Framing.values()) {
        SharedFrame shared = new SharedFrame(framing, payload);
        WebSocketFrame frame = framing == BridgeWebSocket.Framing.SOCKJS
          ? new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)) : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload));
        byte[] ours = ByteBufUtil.getBytes(shared.wire());
        assertArrayEquals(netty(frame), ours, framing + " frame of " + length + " bytes");
        assertEquals(length, shared.payload().readableBytes(), "the payload is not consumed by encoding");
        assertTrue(shared.wire() == shared.wire(), "encoded once");
        assertTrue(shared.wire().isDirect(), "direct, so that the transport writes it without copying it per socket");
        ByteBuf wire = shared.wire();
        shared.release();
        assertEquals(0, wire.refCnt(), "the encoded frame is released");
        if (length > 0) { // an empty payload is Netty's shared empty buffer, not counted
          assertEquals(0, shared.payload().refCnt(), "the payload is released");
        }
      }
    }
  }

  private static byte[] netty(WebSocketFrame frame) {
    EmbeddedChannel channel = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
    assertTrue(channel.writeOutbound(frame));
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
      all.writeBytes(part);
      part.release();
    }
    channel.finishAndReleaseAll();
    return ByteBufUtil.getBytes(all);
  }

  @Test
  @DisplayName("a plain WebSocket connection has a frame encoder to write below; one with permessage-deflate agreed has none (frames go through the extension)")
  void encoderOnlyWithoutExtensions() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Object plain = encoderFound(vertx, false);
      assertTrue(plain instanceof WebSocketFrameEncoder, "no compression: encoded frames are written below the encoder, found " + plain);
      assertNull(encoderFound(vertx, true), "permessage-deflate: the extension must see every frame");
    } finally {
      vertx.close().await();
    }
  }

  /** A server (compression supported or not) and a client that offers it: the server side's frame encoder, or null. */
  private static Object encoderFound(Vertx vertx, boolean compression) throws Exception {
    CompletableFuture<Object> found = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setPerMessageWebSocketCompressionSupported(compression))
      .webSocketHandler(ws -> {
        var context = BridgeWebSocket.frameEncoderContext(((WebSocketInternal) ws).channelHandlerContext().channel());
        found.complete(context == null ? "none" : context.handler());
      })
      .listen(0, "127.0.0.1").await();
    try {
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
      var socket = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
        .await();
      String extensions = socket.headers().get("sec-websocket-extensions");
      assertEquals(compression, extensions != null && extensions.contains("permessage-deflate"), "agreed: " + extensions);
      Object context = found.get(10, TimeUnit.SECONDS);
      socket.close().await();
      client.close().await();
      return "none".equals(context) ? null : context;
    } finally {
      server.close().await();
    }
  }
}

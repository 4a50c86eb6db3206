package handlers.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.JsonCodec;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A bridge socket on one of the two WebSocket transports the gateway serves itself, framed exactly
 * as Vert.x's own SockJS transports frame them:
 * <ul>
 *   <li>{@link Framing#SOCKJS} ({@code /eventbus/<server>/<session>/websocket}, what browsers use):
 *   {@code o} when opened, each message as {@code a["..."]} (SockJS's escaping), {@code h}
 *   heartbeats, {@code c[code,"reason"]} before a close; the client sends JSON arrays of strings;</li>
 *   <li>{@link Framing#RAW} ({@code /eventbus/websocket}): one bridge message per WebSocket message,
 *   the bridge's writes as binary messages.</li>
 * </ul>
 * Serving them here, rather than through Vert.x's {@code SockJSSession}, lets {@link MeetingFanOut}
 * write one pre-encoded frame, shared by every socket of a meeting, straight to the connection, and
 * flush each socket once per event-loop turn instead of once per message ({@link TurnFlusher}).
 * The bridge's own writes (replies, error frames) still go through Vert.x's WebSocket.
 *
 * <p>Confined to its connection's event loop, which is its gateway instance's.
 */
final class BridgeWebSocket extends SockJSSocketBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeWebSocket.class);

  enum Framing { SOCKJS, RAW }

  /** SockJS's close frame for a socket closed by the server without a reason of its own. */
  private static final int GO_AWAY_CODE = 3000;
  private static final String GO_AWAY_REASON = "Go away!";

  final Framing framing;
  private final ServerWebSocket ws;
  private final Channel channel;
  private final VoidChannelPromise voidPromise;
  private final TurnFlusher flusher;
  private final Handler<BridgeWebSocket> onClosed;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> closeHandler;
  private MultiMap headers;
  /** The upgrade request's context, for the bridge's SOCKET_CREATED only (identity); then let go, for memory. */
  private RoutingContext routingContext;
  /** No more writes: closing or closed. */
  private boolean closing;
  private boolean closed;
  /** Has frames written since the last flush (it is in the flusher's list). */
  boolean flushPending;
  /**
   * The pipeline's WebSocket frame encoder, where encoded frames are written (to the handlers
   * below it); null when an extension (permessage-deflate) transforms frames above it.
   */
  private final ChannelHandlerContext belowEncoder;
  /** The connection's outbound buffer (see {@link #writable}); null if the connection had closed before the socket was made. */
  private final ChannelOutboundBuffer outbound;

  BridgeWebSocket(Vertx vertx, RoutingContext rc, SockJSHandlerOptions options, ServerWebSocket ws, Channel channel,
                  Framing framing, int maxQueuedBytes, TurnFlusher flusher, Handler<BridgeWebSocket> onClosed) {
    super(vertx, null, options);
    this.routingContext = rc;
    this.ws = ws;
    this.framing = framing;
    this.flusher = flusher;
    this.onClosed = onClosed;
    this.channel = channel;
    this.voidPromise = new VoidChannelPromise(channel, false);
    this.belowEncoder = frameEncoderContext(channel);
    this.outbound = channel.unsafe().outboundBuffer();
    // Writability (and so writeQueueFull) flips at this many bytes queued on the connection.
    ws.setWriteQueueMaxSize(maxQueuedBytes);
    ws.closeHandler(v -> handleClosed());
    // A transport error (a reset, an oversized or corrupt frame) goes to the bridge as from Vert.x's
    // own transport, so that its guard answers it (an oversized frame: close 1009) and logs one line.
    ws.exceptionHandler(err -> {
      LOG.debug("Bridge socket error: {}", err.toString());
      if (exceptionHandler != null && !closing) {
        exceptionHandler.handle(err);
      }
    });
    if (framing == Framing.SOCKJS) {
      ws.textMessageHandler(this::handleSockJsMessage);
    } else {
      ws.textMessageHandler(text -> deliver(Buffer.buffer(text)));
      ws.binaryMessageHandler(this::deliver);
    }
  }

  /** The context of the connection's WebSocket frame encoder, or null if there is none or an extension encoder is in use. */
  static ChannelHandlerContext frameEncoderContext(Channel channel) {
    ChannelHandlerContext encoder = null;
    for (Map.Entry<String, ChannelHandler> handler : channel.pipeline()) {
      if (handler.getValue() instanceof WebSocketExtensionEncoder) {
        return null;
      }
      if (handler.getValue() instanceof WebSocketFrameEncoder) {
        encoder = channel.pipeline().context(handler.getValue());
      }
    }
    return encoder;
  }

  /** The bridge has seen the socket open (and the guard its identity): the request's context is no longer needed. */
  void created() {
    routingContext = null;
  }

  /** SockJS's open frame, before the bridge gets the socket. */
  void opened() {
    if (framing == Framing.SOCKJS) {
      ws.writeTextMessage("o");
    }
  }

  void heartbeat() {
    if (framing == Framing.SOCKJS && !closing) {
      ws.writeTextMessage("h");
    }
  }

  private void handleSockJsMessage(String text) {
    if (closing || text.isEmpty() || text.equals("[]")) {
      return;
    }
    boolean framed = (text.startsWith("[\"") && text.endsWith("\"]")) || (text.length() > 1 && text.startsWith("\"") && text.endsWith("\""));
    List<String> messages = framed ? JsonCodec.decodeValues(text) : null;
    if (messages == null) {
      close(); // not SockJS: Vert.x's transport closes the connection too
      return;
    }
    for (String message : messages) {
      deliver(Buffer.buffer(message));
    }
  }

  private void deliver(Buffer message) {
    Handler<Buffer> h = handler;
    if (h != null && !closing) {
      h.handle(message);
    }
  }

  private void handleClosed() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    super.close();
    onClosed.handle(this);
    if (endHandler != null) {
      endHandler.handle(null);
    }
    if (closeHandler != null) {
      closeHandler.handle(null);
    }
  }

  // --- the fan-out's path -----------------------------------------------------------------------

  /**
   * The frame {@link MeetingFanOut} shares between sockets of this framing, for the envelope
   * {@code json}: {@code a["..."]} with SockJS's escaping (ASCII), or the envelope itself.
   */
  static byte[] encode(Framing framing, String json) {
    return framing == Framing.SOCKJS
      ? ("a" + JsonCodec.encode(new String[]{json})).getBytes(StandardCharsets.US_ASCII)
      : json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * True when more than the write-queue limit is waiting on this connection even after handing the
   * kernel what it takes: the reader is not keeping up. (Frames written in this turn and not yet
   * flushed are flushed first, so that a burst to a reader that keeps up does not count.)
   */
  boolean overQueueLimit() {
    if (closing || writable()) {
      return false;
    }
    if (flushPending) {
      channel.flush();
    }
    return !writable();
  }

  /**
   * {@code channel.isWritable()} from the connection's outbound buffer, held since the socket
   * opened: on Java 17, the cast inside Netty's {@code AbstractNioChannel.unsafe()} on every call
   * was 3.7% of the server's CPU at 20,000 deliveries/s (async-profiler; it contends on the JVM's
   * type-check cache when event loops cast the same class to different interfaces).
   */
  private boolean writable() {
    return outbound == null ? channel.isWritable() : outbound.isWritable();
  }

  /**
   * Writes a shared, pre-encoded frame (see {@link #encode}); the bytes are not copied, only
   * retained, and flushed with this socket's other writes at the end of the event-loop turn. On a
   * connection without WebSocket extensions the whole encoded frame ({@link SharedFrame#wire}) is
   * written below Netty's frame encoder, so that it is not framed (allocated and copied) again for
   * each socket; writes from this event loop reach the connection in the order they are made.
   */
  void writeShared(SharedFrame frame) {
    if (closing) {
      return;
    }
    if (!channel.eventLoop().inEventLoop()) {
      channel.writeAndFlush(payloadFrame(frame), voidPromise);
      return;
    }
    if (belowEncoder != null) {
      belowEncoder.write(frame.wire().retainedDuplicate(), voidPromise);
    } else {
      channel.write(payloadFrame(frame), voidPromise);
    }
    if (!flushPending) {
      flushPending = true;
      flusher.add(this);
    }
  }

  /** A WebSocket frame of the shared payload, for the pipeline's encoder (and any extension) to encode. */
  private Object payloadFrame(SharedFrame frame) {
    ByteBuf bytes = frame.payload().retainedDuplicate();
    return framing == Framing.SOCKJS ? new TextWebSocketFrame(true, 0, bytes) : new BinaryWebSocketFrame(true, 0, bytes);
  }

  void flush() {
    flushPending = false;
    if (!closed) {
      channel.flush();
    }
  }

  /**
   * Closes a socket that does not read: 1008 "too slow" (after SockJS's {@code c[1008,"too slow"]}),
   * and the connection itself after {@code graceMs} if the client has not read its way to the close
   * frame by then, so that what is queued for it is released.
   */
  void closeTooSlow(long graceMs) {
    close(1008, "too slow");
    vertx.setTimer(graceMs, id -> {
      if (!closed) {
        channel.close();
      }
    });
  }

  // --- SockJSSocket -----------------------------------------------------------------------------

  @Override
  public Future<Void> write(Buffer data) {
    if (closing) {
      return Future.failedFuture("socket is closed");
    }
    return framing == Framing.SOCKJS ? ws.writeTextMessage("a" + JsonCodec.encode(new String[]{data.toString()}))
      : ws.writeBinaryMessage(data);
  }

  @Override
  public Future<Void> write(String data) {
    if (closing) {
      return Future.failedFuture("socket is closed");
    }
    return framing == Framing.SOCKJS ? ws.writeTextMessage("a" + JsonCodec.encode(new String[]{data}))
      : ws.writeTextMessage(data);
  }

  @Override
  public void close() {
    close(GO_AWAY_CODE, GO_AWAY_REASON);
  }

  @Override
  public void close(int statusCode, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    super.close();
    if (framing == Framing.SOCKJS) {
      // SockJS tells the client why in its own frame; the WebSocket close follows (as Vert.x does).
      ws.writeTextMessage("c[" + statusCode + ",\"" + reason + "\"]");
    }
    if (statusCode == GO_AWAY_CODE) {
      ws.close();
    } else {
      ws.close((short) statusCode, reason);
    }
  }

  @Override
  public void closeAfterSessionExpired() {
    // as Vert.x's transports do: SockJS's plain close, the raw transport's 1001
    if (framing == Framing.SOCKJS) {
      close();
    } else {
      close(1001, "Session expired");
    }
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler; // see the constructor
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> closeHandler) {
    this.closeHandler = closeHandler;
    return this;
  }

  @Override
  public SockJSSocket pause() {
    ws.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    ws.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    ws.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    ws.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return !channel.isWritable();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    ws.drainHandler(handler);
    return this;
  }

  @Override
  public SocketAddress remoteAddress() {
    return ws.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return ws.localAddress();
  }

  @Override
  public MultiMap headers() {
    if (headers == null) {
      headers = MultiMap.caseInsensitiveMultiMap().addAll(ws.headers()).remove(HttpHeaders.COOKIE);
    }
    return headers;
  }

  @Override
  public String uri() {
    return ws.uri();
  }

  @Override
  public RoutingContext routingContext() {
    return routingContext;
  }

  /** No web session or web user on the bridge: identity is the guard's (from the token). */
  @Override
  public io.vertx.ext.web.Session webSession() {
    return null;
  }

  @Override
  public io.vertx.ext.auth.User webUser() {
    return null;
  }
}

package handlers.bridge;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.ProtocolUpgradeHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /eventbus/<server>/<session>/websocket} (SockJS's WebSocket transport) and
 * {@code GET /eventbus/websocket} (the raw one): upgrades and hands a {@link BridgeWebSocket} to
 * the bridge, as Vert.x's SockJS handler would, so that the bridge, its limits and
 * {@link AuthorizeBridgeHandler} see the same socket events. SockJS's other transports (polling,
 * streaming) stay with Vert.x's handler. One heartbeat timer per gateway instance writes SockJS's
 * {@code h} frames to all its SockJS sockets, instead of one timer per socket.
 *
 * <p>Runs on the gateway instance's event loop; the socket set is confined to it.
 */
public final class UpgradeBridgeSocketHandler implements ProtocolUpgradeHandler {

  private final Vertx vertx;
  private final SockJSHandlerOptions options;
  private final Handler<SockJSSocket> bridge;
  private final int maxQueuedBytes;
  private final Set<BridgeWebSocket> sockets = new LinkedHashSet<>();
  private final Map<EventLoop, TurnFlusher> flushers = new HashMap<>(2);
  private final Handler<BridgeWebSocket> onClosed = sockets::remove;
  private long heartbeatTimer = -1;

  /**
   * @param bridge         the event-bus bridge the sockets are handed to
   * @param maxQueuedBytes bytes queued on a connection above which it counts as not reading ({@code bridge.maxQueuedBytes})
   */
  public UpgradeBridgeSocketHandler(Vertx vertx, SockJSHandlerOptions options, Handler<SockJSSocket> bridge, int maxQueuedBytes) {
    this.vertx = vertx;
    this.options = options;
    this.bridge = bridge;
    this.maxQueuedBytes = maxQueuedBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!request.canUpgradeToWebSocket()) {
      ctx.response().setStatusCode(400).end("Can \"Upgrade\" only to \"WebSocket\".");
      return;
    }
    BridgeWebSocket.Framing framing = request.path().endsWith("/eventbus/websocket")
      ? BridgeWebSocket.Framing.RAW : BridgeWebSocket.Framing.SOCKJS;
    request.toWebSocket().onFailure(ctx::fail).onSuccess(ws -> {
      Channel channel = channelOf(ctx, ws);
      TurnFlusher flusher = flushers.computeIfAbsent(channel.eventLoop(), TurnFlusher::new);
      BridgeWebSocket socket = new BridgeWebSocket(vertx, ctx, options, ws, channel, framing, maxQueuedBytes, flusher, onClosed);
      sockets.add(socket);
      if (heartbeatTimer == -1) {
        heartbeatTimer = vertx.setPeriodic(options.getHeartbeatInterval(), id -> sockets.forEach(BridgeWebSocket::heartbeat));
      }
      socket.opened(); // SockJS's "o" comes first, as from Vert.x's transport
      bridge.handle(socket);
      socket.created();
    });
  }

  /**
   * The connection's Netty channel, for the fan-out's writes of shared frames (already encoded,
   * below the WebSocket encoder; with compression, from the pipeline's tail, through the extension
   * and the encoder, as Vert.x's own writes: see {@link BridgeWebSocket#writeShared}). Vert.x Web
   * hands out a wrapper of the WebSocket; the channel is the upgraded request's connection's.
   */
  private static Channel channelOf(RoutingContext ctx, ServerWebSocket ws) {
    if (ws instanceof WebSocketInternal internal) {
      return internal.channelHandlerContext().channel();
    }
    return ((ConnectionBase) ctx.request().connection()).channel();
  }
}

package handlers.bridge;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * Flushes the bridge sockets written to during one event-loop turn once, at the end of the turn:
 * a message fanned out to a socket no longer costs one system call per socket and message, and
 * messages delivered in the same turn leave in the same write. Netty runs the flush after the
 * loop's queued tasks ({@link SingleThreadEventLoop#executeAfterEventLoopIteration}); on another
 * kind of loop it is queued as a task.
 *
 * <p>One per gateway instance, confined to its event loop.
 */
final class TurnFlusher {

  private final EventLoop eventLoop;
  private final Runnable flushAll = this::flushAll;
  private List<BridgeWebSocket> pending = new ArrayList<>();
  private List<BridgeWebSocket> spare = new ArrayList<>();
  private boolean scheduled;

  TurnFlusher(EventLoop eventLoop) {
    this.eventLoop = eventLoop;
  }

  /** {@code socket} has unflushed frames (called once until it is flushed). */
  void add(BridgeWebSocket socket) {
    pending.add(socket);
    if (!scheduled) {
      scheduled = true;
      if (eventLoop instanceof SingleThreadEventLoop loop) {
        loop.executeAfterEventLoopIteration(flushAll);
      } else {
        eventLoop.execute(flushAll);
      }
    }
  }

  private void flushAll() {
    scheduled = false;
    List<BridgeWebSocket> sockets = pending;
    pending = spare;
    for (BridgeWebSocket socket : sockets) {
      socket.flush();
    }
    sockets.clear();
    spare = sockets;
  }
}

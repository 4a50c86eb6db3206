package handlers.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fan-out of the meeting addresses a client registers for ({@code meeting.{id}}, {@code .chat},
 * {@code .captions}, and the per-person {@code .signal.{pid}} and {@code .lobby.{pid}}) to the
 * bridge sockets of one gateway instance: one event-bus consumer per address and instance, which
 * encodes each message's envelope once and writes that frame to every socket registered for it.
 *
 * <p>Vert.x's bridge would give every socket its own consumer, so each message would be queued,
 * copied, checked and encoded once per socket: in a profile of 1,000 sockets in 10 meetings, that
 * was most of the server's time. The bridge still handles the registration itself (limits,
 * duplicate and unregister frames, clean-up on close): {@link AuthorizeBridgeHandler} points it at
 * {@link #localAddress}, where nothing is ever published, and registers the socket here.
 *
 * <p>On the WebSocket transports the gateway serves itself ({@link BridgeWebSocket}), the frame is
 * also framed once per message and framing (SockJS's {@code a["..."]} with its escaping, or raw),
 * and the same bytes, retained rather than copied, go to every socket, flushed once per socket and
 * event-loop turn. Sockets of Vert.x's other SockJS transports get the envelope through their own
 * {@code write}.
 *
 * <p>A socket that does not read is not written to without bound: one whose connection has more
 * than {@code bridge.maxQueuedBytes} waiting (or, on Vert.x's transports, whose write queue is full)
 * is closed with 1008 "too slow" and leaves every audience; its client reconnects and replays what
 * it missed by {@code seq}. The other sockets are not held up by it.
 *
 * <p>Confined to the gateway instance's event loop, like its sockets (no locking).
 */
final class MeetingFanOut {

  /** Prefix of the addresses the bridge's own per-socket consumers are pointed at; nothing is published there. */
  static final String LOCAL_PREFIX = "parley.fanout.";
  /** What {@link #localAddress} can give, for the bridge's outbound permissions. */
  static final String LOCAL_REGEX = "parley\\.fanout\\.[0-9]{1,9}\\." + common.Addresses.OUTBOUND_REGEX;

  /** How long a socket closed as too slow may take to read its way to the close frame before its connection is closed. */
  static final long TOO_SLOW_GRACE_MS = 2_000;

  private final EventBus eventBus;
  private final Runnable onTooSlow;
  private final Map<String, Audience> audiences = new HashMap<>();
  /** Sockets found too slow while fanning out one message (closed after the loop over the audience). */
  private final List<SockJSSocket> tooSlow = new ArrayList<>();

  /** @param onTooSlow called once for each socket closed for not reading (a metric) */
  MeetingFanOut(EventBus eventBus, Runnable onTooSlow) {
    this.eventBus = eventBus;
    this.onTooSlow = onTooSlow;
  }

  /**
   * Where the bridge's own consumer for {@code address} is pointed. {@code epoch} counts the socket's
   * revocations: after one, the bridge still holds its idle consumer of the old local address (it
   * cannot be told to drop it), so registering the address again needs a new local address.
   */
  static String localAddress(String address, int epoch) {
    return LOCAL_PREFIX + epoch + "." + address;
  }

  private final class Audience {
    final String address;
    final Set<SockJSSocket> sockets = new LinkedHashSet<>();
    final MessageConsumer<Object> consumer;

    Audience(String address) {
      this.address = address;
      this.consumer = eventBus.consumer(address, this::deliver);
    }

    /** The same envelope Vert.x's bridge would write (type, address, body, reply address, headers), encoded once. */
    private void deliver(Message<Object> message) {
      JsonObject envelope = new JsonObject().put("type", "rec").put("address", address).put("body", message.body());
      if (message.replyAddress() != null) {
        envelope.put("replyAddress", message.replyAddress());
      }
      if (message.headers() != null && !message.headers().isEmpty()) {
        JsonObject headers = new JsonObject();
        for (String name : message.headers().names()) {
          List<String> values = message.headers().getAll(name);
          headers.put(name, values.size() == 1 ? values.get(0) : values);
        }
        envelope.put("headers", headers);
      }
      String json = envelope.encode();
      SharedFrame sockJs = null;
      SharedFrame raw = null;
      Buffer perSocket = null;
      for (SockJSSocket socket : sockets) {
        if (socket instanceof BridgeWebSocket ws) {
          if (ws.overQueueLimit()) {
            tooSlow.add(ws);
          } else if (ws.framing == BridgeWebSocket.Framing.SOCKJS) {
            if (sockJs == null) {
              sockJs = new SharedFrame(ws.framing, BridgeWebSocket.encode(ws.framing, json));
            }
            ws.writeShared(sockJs);
          } else {
            if (raw == null) {
              raw = new SharedFrame(ws.framing, BridgeWebSocket.encode(ws.framing, json));
            }
            ws.writeShared(raw);
          }
        } else if (socket.writeQueueFull()) {
          tooSlow.add(socket);
        } else {
          if (perSocket == null) {
            perSocket = Buffer.buffer(json);
          }
          socket.write(perSocket);
        }
      }
      if (sockJs != null) {
        sockJs.release();
      }
      if (raw != null) {
        raw.release();
      }
      if (!tooSlow.isEmpty()) {
        closeTooSlow();
      }
    }
  }

  private void closeTooSlow() {
    for (SockJSSocket socket : tooSlow) {
      // Out of every audience at once: nothing more is queued for it while it closes.
      audiences.values().removeIf(audience -> {
        if (audience.sockets.remove(socket) && audience.sockets.isEmpty()) {
          audience.consumer.unregister();
          return true;
        }
        return false;
      });
      onTooSlow.run();
      if (socket instanceof BridgeWebSocket ws) {
        ws.closeTooSlow(TOO_SLOW_GRACE_MS);
      } else {
        socket.close(1008, "too slow");
      }
    }
    tooSlow.clear();
  }

  /** From now on {@code socket} gets what is published to {@code address}. */
  void join(String address, SockJSSocket socket) {
    audiences.computeIfAbsent(address, Audience::new).sockets.add(socket);
  }

  void leave(String address, SockJSSocket socket) {
    Audience audience = audiences.get(address);
    if (audience != null && audience.sockets.remove(socket) && audience.sockets.isEmpty()) {
      audiences.remove(address);
      audience.consumer.unregister();
    }
  }

  /** Sockets this instance fans out to for {@code address} (for tests and metrics). */
  int audience(String address) {
    Audience audience = audiences.get(address);
    return audience == null ? 0 : audience.sockets.size();
  }
}

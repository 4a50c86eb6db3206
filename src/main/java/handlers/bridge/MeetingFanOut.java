package handlers.bridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fan-out of meeting-wide addresses ({@code meeting.{id}}, {@code .chat}, {@code .captions}) to the
 * bridge sockets of one gateway instance: one event-bus consumer per address and instance, which
 * encodes each message's envelope once and writes that frame to every socket registered for it.
 *
 * <p>Vert.x's bridge would give every socket its own consumer, so each message would be queued,
 * copied, checked and encoded once per socket: in a profile of 1,000 sockets in 10 meetings, that
 * was most of the server's time. The bridge still handles the registration itself (limits,
 * duplicate and unregister frames, clean-up on close): {@link AuthorizeBridgeHandler} points it at
 * {@link #localAddress}, where nothing is ever published, and registers the socket here.
 *
 * <p>Confined to the gateway instance's event loop, like its sockets (no locking).
 */
final class MeetingFanOut {

  /** Prefix of the addresses the bridge's own per-socket consumers are pointed at; nothing is published there. */
  static final String LOCAL_PREFIX = "parley.fanout.";
  /** What {@link #localAddress} can give, for the bridge's outbound permissions. */
  static final String LOCAL_REGEX = "parley\\.fanout\\.meeting\\.[0-9a-f-]{36}(\\.chat|\\.captions)?";

  private final EventBus eventBus;
  private final Map<String, Audience> audiences = new HashMap<>();

  MeetingFanOut(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  static String localAddress(String address) {
    return LOCAL_PREFIX + address;
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
      Buffer frame = Buffer.buffer(envelope.encode());
      for (SockJSSocket socket : sockets) {
        socket.write(frame);
      }
    }
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

package loadtest;

import io.vertx.core.Context;
import io.vertx.core.http.WebSocketClient;

import java.util.HashMap;
import java.util.Map;

/**
 * A participant of the Socket.IO peer (bench/peers/socketio-server.js), speaking Engine.IO v4 over a
 * WebSocket with Socket.IO v5 packets: the server's open packet {@code 0{...}}, connect {@code 40},
 * events {@code 42["name",...]}, events with an acknowledgement {@code 42<id>[...]} answered by
 * {@code 43<id>[...]}, and the server's ping {@code 2} answered by pong {@code 3}. The room is joined
 * with an acknowledged {@code join} event; chat is an acknowledged {@code chat} event that the peer
 * broadcasts to the room.
 */
final class SocketIoSocket extends LoadSocket {

  private static final String DELIVERY = "42[\"chat\"";
  private static final long JOIN = -1;

  private final String room;
  private final Map<Long, Long> pending = new HashMap<>();

  SocketIoSocket(int index, int meeting, Context context, Metrics metrics, Options options, WebSocketClient client) {
    super(index, meeting, context, metrics, options, client, () -> { });
    this.room = "room-" + meeting;
  }

  @Override
  String uri() {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  void opened() {
    pending.clear();
    // wait for the open packet
  }

  @Override
  void onText(String packet) {
    if (packet.startsWith(DELIVERY)) {
      long stamp = Stamp.find(packet, 0);
      if (stamp >= 0) {
        metrics.delivery(stamp);
      } else {
        metrics.delivered.increment();
      }
      return;
    }
    if (packet.isEmpty()) {
      return;
    }
    switch (packet.charAt(0)) {
      case '0' -> write("40");
      case '2' -> write("3");
      case '1' -> metrics.error("engine.io close");
      case '4' -> onSocketIo(packet);
      default -> { }
    }
  }

  private void onSocketIo(String packet) {
    if (packet.startsWith("40")) {
      long id = counter++;
      pending.put(id, JOIN);
      write("42" + id + "[\"join\",\"" + room + "\"]");
    } else if (packet.startsWith("43")) {
      int bracket = packet.indexOf('[');
      long id = Long.parseLong(packet.substring(2, bracket < 0 ? packet.length() : bracket));
      Long tag = pending.remove(id);
      if (tag == null) {
        return;
      }
      if (tag == JOIN) {
        registeredNow();
      } else {
        outstanding--;
        metrics.acked(tag);
      }
    } else if (packet.startsWith("44")) {
      registrationFailed("socket.io connect_error");
    } else if (packet.startsWith("41")) {
      metrics.error("socket.io disconnect");
    }
  }

  @Override
  void sendChat() {
    long now = Stamp.now();
    long id = counter++;
    pending.put(id, now);
    outstanding++;
    write("42" + id + "[\"chat\",{\"room\":\"" + room + "\",\"text\":\"" + Stamp.text(now) + "\"}]");
  }

  @Override
  void keepAlive() {
    // the server pings; the client answers
  }
}

package loadtest;

import io.vertx.core.Context;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Parley participant on the event-bus bridge, speaking the vertx-eventbus protocol either over
 * SockJS's WebSocket transport ({@code /eventbus/<server>/<session>/websocket}: an {@code o} frame,
 * then {@code a["..."]} arrays of JSON strings, {@code h} heartbeats; the client sends JSON arrays
 * of strings), or over the raw transport ({@code /eventbus/websocket}, one JSON frame per message).
 *
 * <p>Registration: a presence ping, whose answer means the bridge has just confirmed (and cached)
 * the membership, then the register frame; with the membership cached the bridge accepts it while
 * handling the frame, before any later frame, so the socket counts as registered from then on. A
 * refusal comes back as an error frame addressed to the chat address. A ping that times out or
 * meets an overloaded server (503) is retried twice, a second apart, as a client would.
 *
 * <p>Sign-in: as the web client, with the first frame's {@code authorization} header
 * ({@code --sign-in frame}, the default), or with {@code ?access_token=} on the URL ({@code --sign-in url}).
 */
final class BridgeSocket extends LoadSocket {

  private static final long PING_BEFORE = -1;
  /** How a chat delivery starts inside an {@code a[...]} frame, and as a raw frame. */
  private static final String DELIVERY_ESCAPED = "{\\\"type\\\":\\\"rec\\\",\\\"address\\\":\\\"meeting.";
  private static final String DELIVERY_RAW = "{\"type\":\"rec\",\"address\":\"meeting.";

  private final String meetingId;
  private final String token;
  private final boolean sockJs;
  private final boolean tokenInUrl;
  /** The token has gone with this registration's ping (the server ignores it once signed in). */
  private boolean signInSent;
  private final String chatAddress;
  /** Reply address -> what the reply answers: a chat send's stamp, or one of the registration pings. */
  private final Map<String, Long> pending = new HashMap<>();
  private int registrationAttempts;

  BridgeSocket(int index, int meeting, String meetingId, String token, Context context, Metrics metrics,
               Options options, WebSocketClient client) {
    super(index, meeting, context, metrics, options, client, () -> { });
    this.meetingId = meetingId;
    this.token = token;
    this.sockJs = "sockjs".equals(options.transport());
    this.tokenInUrl = "url".equals(options.signIn());
    this.chatAddress = "meeting." + meetingId + ".chat";
  }

  @Override
  String uri() {
    if (sockJs) {
      String session = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
      return "/eventbus/" + (index % 1000) + "/" + session + "/websocket" + query();
    }
    return "/eventbus/websocket" + query();
  }

  private String query() {
    return tokenInUrl ? "?access_token=" + token : "";
  }

  @Override
  void opened() {
    pending.clear();
    registrationAttempts = 0;
    if (!sockJs) {
      startRegistration();
    }
    // SockJS: wait for the "o" frame.
  }

  private void startRegistration() {
    registrationAttempts++;
    signInSent = tokenInUrl; // each registration ping carries the token: a retry must not depend on the first one's fate
    request("presence.ping", new JsonObject().put("meetingId", meetingId), PING_BEFORE);
  }

  private void request(String address, JsonObject body, long tag) {
    String replyAddress = "r." + index + "." + (counter++);
    pending.put(replyAddress, tag);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
      .put("replyAddress", replyAddress);
    if (!signInSent) {
      frame.put("headers", new JsonObject().put("authorization", "Bearer " + token));
      signInSent = true;
    }
    send(frame.encode());
  }

  private void send(String json) {
    write(sockJs ? "[" + Json.encode(json) + "]" : json);
  }

  @Override
  void sendChat() {
    long now = Stamp.now();
    outstanding++;
    request("chat.send", new JsonObject().put("meetingId", meetingId).put("text", Stamp.text(now))
      .put("clientId", "c" + index + "-" + counter), now);
  }

  @Override
  void keepAlive() {
    send("{\"type\":\"ping\"}");
  }

  @Override
  void onText(String frame) {
    if (!sockJs) {
      onMessage(frame);
      return;
    }
    if (frame.isEmpty()) {
      return;
    }
    switch (frame.charAt(0)) {
      case 'o' -> startRegistration();
      case 'h' -> { }
      case 'c' -> metrics.error("sockjs-close " + frame.substring(1));
      case 'a' -> onArray(frame);
      default -> metrics.error("sockjs-unknown-frame");
    }
  }

  /**
   * Chat deliveries are counted by scanning the frame (one JSON decode per delivery would cost the
   * load generator more CPU than the server spends); anything else in the frame is decoded.
   */
  private void onArray(String frame) {
    int at = frame.indexOf(DELIVERY_ESCAPED);
    int deliveries = 0;
    while (at >= 0) {
      long stamp = Stamp.find(frame, at);
      if (stamp >= 0) {
        metrics.delivery(stamp);
      } else {
        metrics.delivered.increment();
      }
      deliveries++;
      at = frame.indexOf(DELIVERY_ESCAPED, at + DELIVERY_ESCAPED.length());
    }
    if (deliveries > 0 && frame.indexOf("\\\"address\\\":\\\"r.") < 0 && frame.indexOf("\\\"type\\\":\\\"err") < 0) {
      return;
    }
    JsonArray messages = new JsonArray(frame.substring(1));
    for (int i = 0; i < messages.size(); i++) {
      String message = messages.getString(i);
      if (!message.startsWith(DELIVERY_RAW)) {
        onControl(new JsonObject(message));
      }
    }
  }

  private void onMessage(String message) {
    if (message.startsWith(DELIVERY_RAW)) {
      long stamp = Stamp.find(message, 0);
      if (stamp >= 0) {
        metrics.delivery(stamp);
      } else {
        metrics.delivered.increment();
      }
      return;
    }
    onControl(new JsonObject(message));
  }

  private void onControl(JsonObject message) {
    String type = message.getString("type");
    String address = message.getString("address");
    if ("pong".equals(type)) {
      return;
    }
    Long tag = address == null ? null : pending.remove(address);
    if ("rec".equals(type)) {
      if (tag == null) {
        return;
      }
      if (tag == PING_BEFORE) {
        send(new JsonObject().put("type", "register").put("address", chatAddress).encode());
        registeredNow();
      } else {
        outstanding--;
        metrics.acked(tag);
      }
      return;
    }
    if ("err".equals(type)) {
      String code = String.valueOf(message.getValue("failureCode", message.getValue("body")));
      if (tag != null) {
        if (tag == PING_BEFORE) {
          metrics.error("register " + code);
          if (("503".equals(code) || "-1".equals(code)) && registrationAttempts < 3) {
            context.owner().setTimer(1000 + (index % 1000), t -> {
              if (ws != null && !stopping) {
                startRegistration();
              }
            });
          } else {
            registrationFailed("register gave up");
          }
        } else {
          outstanding--;
          metrics.error("chat.send " + code);
        }
      } else if (chatAddress.equals(address)) {
        registrationFailed("register " + code);
      } else {
        metrics.error("bridge " + message.getValue("body"));
      }
    }
  }
}

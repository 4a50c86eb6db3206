package support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A client of the event-bus bridge speaking the vertx-eventbus protocol over SockJS's raw
 * WebSocket transport ({@code /eventbus/websocket}), as the browser library does: send with a
 * reply address, register, and error frames delivered to the reply or registered address.
 */
public final class BridgeClient {

  /** A refused frame or failed reply: the contract's code and message. */
  public static final class BridgeError extends RuntimeException {
    public final int code;

    BridgeError(int code, String message) {
      super(code + " " + message, null, false, false);
      this.code = code;
    }
  }

  private final WebSocket socket;
  /** Held so that it is not garbage-collected: Vert.x 5 closes unreachable clients and their sockets. */
  private final WebSocketClient client;
  private final Map<String, Promise<JsonObject>> replies = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<JsonObject>>> handlers = new ConcurrentHashMap<>();
  private final Map<String, Promise<Void>> registrationErrors = new HashMap<>();
  /** Error frames that named no address (the bridge's own "rejected", "access_denied"...). */
  public final List<JsonObject> generalErrors = new CopyOnWriteArrayList<>();

  private BridgeClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    // The bridge writes Buffers, which the raw WebSocket transport sends as binary messages.
    socket.handler(buffer -> onFrame(buffer.toString()));
    // A closed socket answers nothing more: its pending requests fail now, saying why, rather than
    // each waiting out its timeout (a test that sets its own close handler replaces this one).
    socket.closeHandler(v -> {
      IllegalStateException closed = new IllegalStateException("the bridge socket closed ("
        + socket.closeStatusCode() + " " + socket.closeReason() + ") before the reply came");
      replies.values().forEach(reply -> reply.tryFail(closed));
      replies.clear();
    });
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port, String token) {
    return connect(vertx, port, token, new WebSocketClientOptions());
  }

  /** With client options of its own (a small receive buffer for a socket that will stop reading). */
  public static Future<BridgeClient> connect(Vertx vertx, int port, String token, WebSocketClientOptions clientOptions) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
      .setURI("/eventbus/websocket" + (token == null ? "" : "?access_token=" + token));
    return client.connect(options).map(ws -> new BridgeClient(client, ws))
      .onFailure(err -> client.close());
  }

  public WebSocket socket() {
    return socket;
  }

  private void onFrame(String text) {
    JsonObject frame = new JsonObject(text);
    if (System.getenv("BRIDGE_DEBUG") != null) System.out.println("[bridge-client] <- " + text);
    String type = frame.getString("type");
    String address = frame.getString("address");
    if ("err".equals(type)) {
      BridgeError error = new BridgeError(frame.getInteger("failureCode", -1), frame.getString("message", frame.getString("body")));
      if (address == null) {
        generalErrors.add(frame);
        return;
      }
      Promise<JsonObject> reply = replies.remove(address);
      if (reply != null) {
        reply.tryFail(error);
        return;
      }
      Promise<Void> registration = registrationErrors.remove(address);
      if (registration != null) {
        registration.tryFail(error);
      }
      return;
    }
    if ("rec".equals(type)) {
      Promise<JsonObject> reply = replies.remove(address);
      if (reply != null) {
        Object body = frame.getValue("body");
        reply.tryComplete(body instanceof JsonObject json ? json : new JsonObject().put("value", body));
        return;
      }
      List<Consumer<JsonObject>> list = handlers.get(address);
      if (list != null && frame.getValue("body") instanceof JsonObject body) {
        list.forEach(h -> h.accept(body));
      }
    }
  }

  /** SEND with a reply; fails with {@link BridgeError} carrying the contract's code. */
  public Future<JsonObject> request(String address, JsonObject body) {
    return request(address, body, null);
  }

  public Future<JsonObject> request(String address, Object body, JsonObject headers) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> promise = Promise.promise();
    replies.put(replyAddress, promise);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
      .put("replyAddress", replyAddress);
    if (headers != null) {
      frame.put("headers", headers);
    }
    socket.writeTextMessage(frame.encode());
    return promise.future().timeout(10, java.util.concurrent.TimeUnit.SECONDS)
      .onFailure(err -> replies.remove(replyAddress));
  }

  /** Writes a raw frame, for malformed-input tests. */
  public void writeRaw(String text) {
    socket.writeTextMessage(text);
  }

  /**
   * Registers a handler and completes once the server has accepted it: the registration is
   * followed by a presence ping on the same socket, which the bridge handles after it.
   */
  public Future<Void> register(String address, String meetingId, Consumer<JsonObject> handler) {
    Promise<Void> refused = Promise.promise();
    registrationErrors.put(address, refused);
    handlers.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(handler);
    JsonObject ping = new JsonObject().put("meetingId", meetingId);
    return request("presence.ping", ping)
      .compose(v -> {
        socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
        return request("presence.ping", ping);
      })
      .compose(v -> refused.future().isComplete() ? refused.future() : Future.<Void>succeededFuture())
      .onComplete(ar -> registrationErrors.remove(address));
  }

  /**
   * Registers a handler without the presence pings of {@link #register} (for someone who is not in
   * the meeting, such as a guest in its lobby); the future fails if the registration is refused.
   */
  public Future<Void> listen(String address, Consumer<JsonObject> handler) {
    handlers.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(handler);
    return registerExpectingRefusal(address);
  }

  /** Sends a register frame and reports a refusal if one arrives (for negative tests). */
  public Future<Void> registerExpectingRefusal(String address) {
    Promise<Void> refused = Promise.promise();
    registrationErrors.put(address, refused);
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
    return refused.future();
  }

  public List<String> registered() {
    return new ArrayList<>(handlers.keySet());
  }

  public Future<Void> close() {
    return socket.close().eventually(client::close);
  }
}

package media;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to one Janus Gateway's API over its WebSocket transport ({@code janus-protocol}).
 * Every request carries a transaction and the API secret and returns a Future: for an asynchronous
 * plugin request (VideoRoom's {@code join}, {@code configure}, {@code start} ...) Janus first acks,
 * then sends an event with the same transaction, which completes the Future; Janus's own errors and
 * a plugin's {@code error_code} fail it with a {@link JanusException}. Whatever else Janus says
 * (events of a handle, a session timing out) is dispatched to the {@link JanusSession} and
 * {@link JanusHandle} it names.
 *
 * <p>Confined to the Vert.x context that connected it (a verticle's event loop): call it from
 * there only. When the connection closes, every pending request fails with a connection-lost
 * {@link JanusException} and Janus destroys the sessions made over it.
 */
public final class JanusClient {

  private static final Logger LOG = LoggerFactory.getLogger(JanusClient.class);
  private static final AtomicLong TRANSACTIONS = new AtomicLong();
  private static final String PREFIX = UUID.randomUUID().toString().substring(0, 8);

  private record Pending(Promise<JsonObject> promise, boolean ackAnswers, long timer) {
  }

  private final Vertx vertx;
  private final Context context;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final String url;
  private final String apiSecret;
  private final long timeoutMs;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<Long, JanusSession> sessions = new HashMap<>();
  private final Promise<String> closed = Promise.promise();

  private JanusClient(Vertx vertx, WebSocketClient client, WebSocket socket, String url, String apiSecret, long timeoutMs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.socket = socket;
    this.url = url;
    this.apiSecret = apiSecret;
    this.timeoutMs = timeoutMs;
    socket.textMessageHandler(this::onText);
    socket.exceptionHandler(err -> LOG.debug("Janus {} connection error: {}", url, err.getMessage()));
    socket.closeHandler(v -> onClosed("the connection to Janus closed"));
  }

  /**
   * Opens the API connection to {@code url} ({@code ws://host:port}). {@code apiSecret} is sent
   * with every request (Janus's {@code api_secret}); {@code timeoutMs} bounds every request.
   */
  public static Future<JanusClient> connect(Vertx vertx, String url, String apiSecret, long timeoutMs) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
      .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
      .setMaxFrameSize(1 << 20).setMaxMessageSize(4 << 20));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url)
      .addSubProtocol("janus-protocol").setTimeout(timeoutMs);
    return client.connect(options)
      .map(ws -> new JanusClient(vertx, client, ws, url, apiSecret, timeoutMs))
      .recover(err -> {
        client.close();
        return Future.failedFuture(new JanusException(0, "cannot reach Janus at " + url + ": " + err.getMessage()));
      });
  }

  public String url() {
    return url;
  }

  public boolean isOpen() {
    return !closed.future().isComplete();
  }

  /** Completes with the reason once the connection is gone (closed by either side, or failed). */
  public Future<String> closed() {
    return closed.future();
  }

  /** Janus's {@code info}: name, version, plugins and transports. */
  public Future<JsonObject> info() {
    return send(new JsonObject().put("janus", "info"), false);
  }

  /** A new session, kept alive every {@code keepAliveMs} until destroyed or the connection closes. */
  public Future<JanusSession> createSession(long keepAliveMs) {
    return send(new JsonObject().put("janus", "create"), false).map(reply -> {
      long id = reply.getJsonObject("data").getLong("id");
      JanusSession session = new JanusSession(this, id, keepAliveMs);
      sessions.put(id, session);
      return session;
    });
  }

  Vertx vertx() {
    return vertx;
  }

  void forget(JanusSession session) {
    sessions.remove(session.id());
  }

  /**
   * Sends one API message and completes with Janus's answer: the {@code success} or plugin
   * {@code event} with the same transaction, or the {@code ack} when {@code ackAnswers} (trickle,
   * keepalive). Must be called on this client's context.
   */
  Future<JsonObject> send(JsonObject message, boolean ackAnswers) {
    if (!isOpen()) {
      return Future.failedFuture(new JanusException(0, "the connection to Janus at " + url + " is closed"));
    }
    String transaction = PREFIX + "-" + TRANSACTIONS.incrementAndGet();
    message.put("transaction", transaction);
    if (apiSecret != null) {
      message.put("apisecret", apiSecret);
    }
    Promise<JsonObject> promise = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> {
      Pending gone = pending.remove(transaction);
      if (gone != null) {
        gone.promise().tryFail(new JanusException(0, "Janus did not answer '" + describe(message) + "' within " + timeoutMs + " ms"));
      }
    });
    pending.put(transaction, new Pending(promise, ackAnswers, timer));
    socket.writeTextMessage(message.encode()).onFailure(err -> {
      Pending gone = pending.remove(transaction);
      if (gone != null) {
        vertx.cancelTimer(gone.timer());
        gone.promise().tryFail(new JanusException(0, "cannot write to Janus: " + err.getMessage()));
      }
    });
    return promise.future();
  }

  private static String describe(JsonObject message) {
    JsonObject body = message.getJsonObject("body");
    return body != null && body.getString("request") != null ? body.getString("request") : message.getString("janus");
  }

  private void onText(String text) {
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (DecodeException e) {
      LOG.warn("Janus {} sent something that is not JSON ({} characters)", url, text.length());
      return;
    }
    String type = message.getString("janus", "");
    String transaction = message.getString("transaction");
    Pending waiting = transaction == null ? null : pending.get(transaction);
    if (waiting != null) {
      if ("ack".equals(type) && !waiting.ackAnswers()) {
        return; // an asynchronous request: its event follows with the same transaction
      }
      pending.remove(transaction);
      vertx.cancelTimer(waiting.timer());
      JanusException error = errorOf(message);
      if (error != null) {
        waiting.promise().tryFail(error);
      } else {
        waiting.promise().tryComplete(message);
      }
      return;
    }
    dispatch(type, message);
  }

  /** Janus's own error ({@code janus: "error"}) or a plugin's ({@code plugindata.data.error_code}). */
  static JanusException errorOf(JsonObject message) {
    if ("error".equals(message.getString("janus"))) {
      JsonObject error = message.getJsonObject("error", new JsonObject());
      return new JanusException(error.getInteger("code", 500), error.getString("reason", "Janus error"));
    }
    JsonObject plugin = message.getJsonObject("plugindata");
    JsonObject data = plugin == null ? null : plugin.getJsonObject("data");
    if (data != null && data.getValue("error_code") != null) {
      return new JanusException(data.getInteger("error_code"), data.getString("error", "plugin error"));
    }
    return null;
  }

  private void dispatch(String type, JsonObject message) {
    Long sessionId = message.getLong("session_id");
    JanusSession session = sessionId == null ? null : sessions.get(sessionId);
    if (session == null) {
      LOG.debug("Janus {} event '{}' for no session of ours", url, type);
      return;
    }
    session.onMessage(type, message);
  }

  private void onClosed(String reason) {
    if (!closed.tryComplete(reason)) {
      return;
    }
    JanusException lost = new JanusException(0, reason);
    for (Pending p : new ArrayList<>(pending.values())) {
      vertx.cancelTimer(p.timer());
      p.promise().tryFail(lost);
    }
    pending.clear();
    for (JanusSession session : new ArrayList<>(sessions.values())) {
      session.lost(reason);
    }
    sessions.clear();
    client.close();
  }

  /** Closes the connection; Janus destroys the sessions made over it. */
  public Future<Void> close() {
    if (!isOpen()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> socket.close().onComplete(ar -> {
      onClosed("closed by Parley");
      done.tryComplete();
    }));
    return done.future();
  }

  /** Runs {@code action} on this client's context. */
  void onContext(Handler<Void> action) {
    context.runOnContext(action);
  }
}

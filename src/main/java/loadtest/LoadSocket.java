package loadtest;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One simulated participant's socket. Everything about it runs on the event loop of its
 * {@link #context}, so its fields need no locking. Subclasses speak a protocol: open, register for
 * the meeting's chat, send a chat message, keep alive.
 */
abstract class LoadSocket {

  final int index;
  final int meeting;
  final Context context;
  final Metrics metrics;
  final Options options;
  private final WebSocketClient client;
  private final Runnable onStop;
  WebSocket ws;
  boolean registered;
  /** Sends that have no answer yet; a socket with too many skips its turn (backpressure). */
  int outstanding;
  long counter;
  boolean stopping;
  private boolean everRegistered;
  private Promise<Void> firstRegistration = Promise.promise();

  LoadSocket(int index, int meeting, Context context, Metrics metrics, Options options, WebSocketClient client,
             Runnable onStop) {
    this.index = index;
    this.meeting = meeting;
    this.context = context;
    this.metrics = metrics;
    this.options = options;
    this.client = client;
    this.onStop = onStop;
  }

  abstract String uri();

  /** The transport is open: start the protocol's handshake and registration. */
  abstract void opened();

  abstract void onText(String text);

  void onBinary(Buffer data) {
    onText(data.toString());
  }

  /** Sends one stamped chat message. */
  abstract void sendChat();

  abstract void keepAlive();

  /** Completes when the socket first holds its registration, fails if it never does. */
  io.vertx.core.Future<Void> connect() {
    context.runOnContext(v -> open());
    return firstRegistration.future();
  }

  private void open() {
    java.net.URI node = options.nodeOf(index);
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(node.getHost()).setPort(Options.portOf(node))
      .setURI(uri()).setConnectTimeout(30_000);
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        failed("connect", ar.cause());
        return;
      }
      ws = ar.result();
      String extensions = ws.headers() == null ? null : ws.headers().get("sec-websocket-extensions");
      if (extensions != null && extensions.contains("permessage-deflate")) {
        metrics.deflated.increment();
      }
      if (stopping) {
        ws.close();
        return;
      }
      ws.textMessageHandler(this::onText);
      ws.binaryMessageHandler(this::onBinary);
      ws.exceptionHandler(err -> metrics.error("socket-exception"));
      ws.closeHandler(v -> closed());
      opened();
    });
  }

  private void failed(String kind, Throwable err) {
    metrics.error(kind);
    if (!everRegistered) {
      firstRegistration.tryFail(kind + ": " + err.getMessage());
    } else {
      scheduleReconnect();
    }
  }

  /** The protocol's registration was confirmed by the server. */
  void registeredNow() {
    if (registered) {
      return;
    }
    registered = true;
    metrics.registered(meeting);
    if (everRegistered) {
      metrics.reconnects.increment();
    }
    everRegistered = true;
    firstRegistration.tryComplete();
  }

  /** The protocol's registration was refused. */
  void registrationFailed(String kind) {
    metrics.error(kind);
    if (registered) {
      registered = false;
      metrics.unregistered(meeting);
    }
    firstRegistration.tryFail(kind);
    if (ws != null) {
      ws.close();
    }
  }

  private void closed() {
    if (registered) {
      registered = false;
      metrics.unregistered(meeting);
    }
    outstanding = 0;
    ws = null;
    if (stopping) {
      return;
    }
    metrics.disconnects.increment();
    if (!everRegistered) {
      firstRegistration.tryFail("closed before registering");
      return;
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (options.reconnect() && !stopping) {
      context.owner().setTimer(1000, t -> {
        if (!stopping) {
          open();
        }
      });
    }
  }

  void write(String text) {
    if (ws != null) {
      ws.writeTextMessage(text);
    }
  }

  /** Closes for good (no reconnect). Runs on the socket's context. */
  void stop() {
    context.runOnContext(v -> {
      stopping = true;
      if (registered) {
        registered = false;
        metrics.unregistered(meeting);
      }
      if (ws != null) {
        ws.close();
      }
      onStop.run();
    });
  }
}

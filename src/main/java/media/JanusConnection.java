package media;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verticle instance's standing connection to one Janus server: an API connection and a
 * session in it, opened again (after {@code retryMs}, doubling to 10 s) whenever it is lost, with
 * the server's current secret (a managed Janus has new ones after a restart). {@link #downHandler}
 * hears every loss: everything made in the lost session (handles, hence PeerConnections) is gone.
 * Confined to the context that started it.
 */
public final class JanusConnection {

  private static final Logger LOG = LoggerFactory.getLogger(JanusConnection.class);
  private static final long MAX_RETRY_MS = 10_000;

  private final Vertx vertx;
  private final JanusServer server;
  private final long timeoutMs;
  private final long keepAliveMs;
  private final long retryMs;
  private JanusClient client;
  private JanusSession session;
  private long nextRetryMs;
  private long retryTimer = -1;
  private boolean closed;
  private String problem = "not connected yet";
  private Handler<String> downHandler = reason -> { };
  private Handler<JanusSession> upHandler = s -> { };

  public JanusConnection(Vertx vertx, JanusServer server, long timeoutMs, long keepAliveMs, long retryMs) {
    this.vertx = vertx;
    this.server = server;
    this.timeoutMs = timeoutMs;
    this.keepAliveMs = keepAliveMs;
    this.retryMs = retryMs;
    this.nextRetryMs = retryMs;
  }

  public JanusServer server() {
    return server;
  }

  /** Connected, with a live session. */
  public boolean up() {
    return session != null && !session.isGone();
  }

  /** Why it is down, or null when up. */
  public String problem() {
    return up() ? null : problem;
  }

  /** Called with the reason each time a live session is lost. */
  public JanusConnection downHandler(Handler<String> handler) {
    this.downHandler = handler;
    return this;
  }

  /** Called with the new session each time the connection comes up. */
  public JanusConnection upHandler(Handler<JanusSession> handler) {
    this.upHandler = handler;
    return this;
  }

  /** The live session, or a failed Future (connection lost) when down. */
  public Future<JanusSession> session() {
    return up() ? Future.succeededFuture(session)
      : Future.failedFuture(new JanusException(0, "Janus " + server.id() + " is not reachable: " + problem));
  }

  /** Starts connecting; completes after the first attempt, whatever its outcome. */
  public Future<Void> start() {
    return attempt();
  }

  private Future<Void> attempt() {
    retryTimer = -1;
    if (closed) {
      return Future.succeededFuture();
    }
    if (!server.available()) {
      // a managed Janus that is (re)starting: asking is cheap, so ask again soon without backing off
      problem = server.problem() == null ? "not available" : server.problem();
      nextRetryMs = retryMs;
      schedule();
      return Future.succeededFuture();
    }
    return JanusClient.connect(vertx, server.url(), server.apiSecret(), timeoutMs)
      .compose(c -> c.createSession(keepAliveMs).onFailure(err -> c.close()).map(s -> {
        if (closed) {
          c.close();
          return null;
        }
        client = c;
        session = s;
        problem = null;
        nextRetryMs = retryMs;
        s.lostHandler(this::lost);
        LOG.info("Connected to Janus {} (session {})", server.id(), s.id());
        upHandler.handle(s);
        return (Void) null;
      }))
      .recover(err -> {
        problem = err.getMessage();
        LOG.debug("Janus {} not reachable: {}", server.id(), err.getMessage());
        schedule();
        return Future.succeededFuture();
      });
  }

  private void lost(String reason) {
    if (client != null) {
      client.close();
    }
    client = null;
    session = null;
    problem = reason;
    if (!closed) {
      LOG.warn("Lost Janus {}: {}", server.id(), reason);
      downHandler.handle(reason);
      schedule();
    }
  }

  private void schedule() {
    if (closed || retryTimer >= 0) {
      return;
    }
    long delay = nextRetryMs;
    nextRetryMs = Math.min(MAX_RETRY_MS, nextRetryMs * 2);
    retryTimer = vertx.setTimer(delay, t -> attempt());
  }

  /** Closes the connection (Janus destroys its session and handles) and stops reconnecting. */
  public Future<Void> close() {
    closed = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    JanusClient c = client;
    client = null;
    session = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}

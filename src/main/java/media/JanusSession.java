package media;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * A Janus session: the container of plugin handles, kept alive by a {@code keepalive} every
 * {@code keepAliveMs} (Janus destroys a session that is silent for its {@code session_timeout}).
 * Events are dispatched to the handle that sent them. Confined to its client's context.
 */
public final class JanusSession {

  private static final Logger LOG = LoggerFactory.getLogger(JanusSession.class);

  private final JanusClient client;
  private final long id;
  private final long keepAliveTimer;
  private final Map<Long, JanusHandle> handles = new HashMap<>();
  private Handler<String> lostHandler = reason -> { };
  private boolean gone;

  JanusSession(JanusClient client, long id, long keepAliveMs) {
    this.client = client;
    this.id = id;
    this.keepAliveTimer = client.vertx().setPeriodic(keepAliveMs, t -> keepAlive());
  }

  public long id() {
    return id;
  }

  public JanusClient client() {
    return client;
  }

  public boolean isGone() {
    return gone;
  }

  /** Called once when the session is gone: its connection closed, or Janus timed it out. */
  public JanusSession lostHandler(Handler<String> handler) {
    this.lostHandler = handler;
    return this;
  }

  /** Attaches a handle of {@code plugin} (e.g. {@code janus.plugin.videoroom}). */
  public Future<JanusHandle> attach(String plugin) {
    return request(new JsonObject().put("janus", "attach").put("plugin", plugin), false).map(reply -> {
      JanusHandle handle = new JanusHandle(this, reply.getJsonObject("data").getLong("id"));
      handles.put(handle.id(), handle);
      return handle;
    });
  }

  /** Handles attached in this session and not detached. */
  public int handleCount() {
    return handles.size();
  }

  Future<JsonObject> request(JsonObject message, boolean ackAnswers) {
    if (gone) {
      return Future.failedFuture(new JanusException(JanusException.NO_SUCH_SESSION, "the Janus session is gone"));
    }
    return client.send(message.put("session_id", id), ackAnswers);
  }

  void forget(JanusHandle handle) {
    handles.remove(handle.id());
  }

  private void keepAlive() {
    request(new JsonObject().put("janus", "keepalive"), true)
      .onFailure(err -> LOG.debug("Janus keepalive of session {} failed: {}", id, err.getMessage()));
  }

  void onMessage(String type, JsonObject message) {
    if ("timeout".equals(type)) {
      lost("Janus timed the session out");
      client.forget(this);
      return;
    }
    Long sender = message.getLong("sender");
    JanusHandle handle = sender == null ? null : handles.get(sender);
    if (handle != null) {
      handle.onMessage(type, message);
    }
  }

  void lost(String reason) {
    if (gone) {
      return;
    }
    gone = true;
    client.vertx().cancelTimer(keepAliveTimer);
    for (JanusHandle handle : new ArrayList<>(handles.values())) {
      handle.lost(reason);
    }
    handles.clear();
    lostHandler.handle(reason);
  }

  /** Destroys the session in Janus (and with it its handles). */
  public Future<Void> destroy() {
    if (gone) {
      return Future.succeededFuture();
    }
    Future<JsonObject> sent = request(new JsonObject().put("janus", "destroy"), false);
    lost("destroyed");
    client.forget(this);
    return sent.mapEmpty();
  }
}

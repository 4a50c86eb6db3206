package media;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * A handle attached to a Janus plugin: plugin requests (with an SDP when negotiating), trickled
 * ICE candidates, and the handle's events. Confined to its client's context.
 */
public final class JanusHandle {

  private final JanusSession session;
  private final long id;
  private Handler<JanusEvent> eventHandler = e -> { };
  private boolean gone;

  JanusHandle(JanusSession session, long id) {
    this.session = session;
    this.id = id;
  }

  public long id() {
    return id;
  }

  public JanusSession session() {
    return session;
  }

  /** True once detached, hung up by Janus for good, or lost with its session. */
  public boolean isGone() {
    return gone;
  }

  /** Receives this handle's events; a {@code detached} event (or the session's loss) is the last one. */
  public JanusHandle eventHandler(Handler<JanusEvent> handler) {
    this.eventHandler = handler;
    return this;
  }

  /** A plugin request without SDP: completes with its {@code plugindata.data}. */
  public Future<JanusReply> message(JsonObject body) {
    return message(body, null);
  }

  /**
   * A plugin request, with an SDP offer or answer when {@code jsep} is not null. Synchronous
   * requests complete with Janus's {@code success}; asynchronous ones with the plugin's event
   * for this transaction, which carries the plugin's SDP when it negotiates.
   */
  public Future<JanusReply> message(JsonObject body, JsonObject jsep) {
    JsonObject message = new JsonObject().put("janus", "message").put("handle_id", id).put("body", body);
    if (jsep != null) {
      message.put("jsep", jsep);
    }
    return session.request(message, false).map(reply -> {
      JsonObject plugin = reply.getJsonObject("plugindata", new JsonObject());
      return new JanusReply(plugin.getJsonObject("data", new JsonObject()), reply.getJsonObject("jsep"));
    });
  }

  /** Trickles one ICE candidate ({@code {candidate, sdpMid, sdpMLineIndex}}), or the end of them when null. */
  public Future<Void> trickle(JsonObject candidate) {
    JsonObject message = new JsonObject().put("janus", "trickle").put("handle_id", id)
      .put("candidate", candidate == null ? new JsonObject().put("completed", true) : candidate);
    return session.request(message, true).mapEmpty();
  }

  /** Tears down the handle's PeerConnection; the handle stays attached. */
  public Future<Void> hangup() {
    return session.request(new JsonObject().put("janus", "hangup").put("handle_id", id), false).mapEmpty();
  }

  /** Detaches the handle (its PeerConnection is closed); its event handler hears {@code detached}. */
  public Future<Void> detach() {
    if (gone) {
      return Future.succeededFuture();
    }
    Future<JsonObject> sent = session.request(new JsonObject().put("janus", "detach").put("handle_id", id), false);
    lost("detached");
    return sent.<Void>mapEmpty().recover(err -> err instanceof JanusException je && !je.connectionLost()
      ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(err));
  }

  void onMessage(String type, JsonObject message) {
    if ("event".equals(type)) {
      JsonObject plugin = message.getJsonObject("plugindata", new JsonObject());
      eventHandler.handle(new JanusEvent(type, plugin.getJsonObject("data", new JsonObject()), message.getJsonObject("jsep")));
      return;
    }
    if ("detached".equals(type)) {
      lost("detached by Janus");
      return;
    }
    eventHandler.handle(new JanusEvent(type, message, null));
  }

  void lost(String reason) {
    if (gone) {
      return;
    }
    gone = true;
    session.forget(this);
    eventHandler.handle(new JanusEvent("detached", new JsonObject().put("reason", reason), null));
  }
}

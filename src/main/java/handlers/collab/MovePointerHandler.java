package handlers.collab;

import common.Addresses;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code whiteboard.pointer} (bridge): {@code {meetingId, x, y}} -> {@code {}}; everyone on {@code
 * meeting.{id}.whiteboard} sees {@code {kind: pointer, userId, name, x, y}}. Not stored; the bridge
 * has checked that the sender is present and limits how often a socket may send one.
 */
public final class MovePointerHandler extends RequestHandler {

  private final EventBus eventBus;
  private final WhiteboardOps.Limits limits;

  public MovePointerHandler(EventBus eventBus, int width, int height) {
    this.eventBus = eventBus;
    this.limits = new WhiteboardOps.Limits(width, height, 1, 1);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    // a pointer is checked as a one-point stroke would be
    JsonObject point = WhiteboardOps.normalise(new JsonObject().put("type", "stroke").put("color", "#000000").put("width", 1)
      .put("points", new io.vertx.core.json.JsonArray().add(body.getValue("x")).add(body.getValue("y"))), limits);
    eventBus.publish(Addresses.meetingWhiteboard(meetingId), new JsonObject().put("kind", "pointer")
      .put("userId", caller.userId()).put("name", caller.name())
      .put("x", point.getJsonArray("points").getValue(0)).put("y", point.getJsonArray("points").getValue(1)));
    return Future.succeededFuture(new JsonObject());
  }
}

package handlers.collab;

import common.ParleyException;
import data.BreakoutRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.breakouts.broadcast}: {@code {meetingId, text}} by the host or a co-host while rooms
 * are open (409 otherwise) -> {@code {rooms}}; {@code breakouts} {@code broadcast {text, by, byName}}
 * is heard in the main meeting and in every open room.
 */
public final class BroadcastToBreakoutsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final BreakoutRepository breakouts;
  private final EventBus eventBus;
  private final int maxLength;

  public BroadcastToBreakoutsHandler(MeetingAccess access, BreakoutRepository breakouts, EventBus eventBus, int maxLength) {
    this.access = access;
    this.breakouts = breakouts;
    this.eventBus = eventBus;
    this.maxLength = maxLength;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String text = Inputs.requiredString(body, "text", maxLength).strip();
    return access.requireRunningRoom(caller, id)
      .compose(m -> breakouts.openRooms(caller.tenant(), id))
      .compose(rooms -> {
        if (rooms.isEmpty()) {
          return Future.failedFuture(ParleyException.conflict("no breakout rooms are open"));
        }
        JsonObject message = new JsonObject().put("text", text).put("by", caller.userId()).put("byName", caller.name())
          .put("meetingId", id.toString());
        BreakoutEvents.publish(eventBus, id, "broadcast", message);
        rooms.forEach(room -> BreakoutEvents.publish(eventBus, room, "broadcast", message));
        return Future.succeededFuture(new JsonObject().put("rooms", rooms.size()));
      });
  }
}

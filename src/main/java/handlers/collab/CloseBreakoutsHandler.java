package handlers.collab;

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
 * {@code parley.breakouts.close}: {@code {meetingId}} by the host or a co-host -> {@code {closesAt,
 * rooms}}: every open room closes {@code breakouts.countdownSeconds} from now ({@code breakouts}
 * {@code closing {closesAt, seconds}} in the main meeting and every room); when it is over
 * {@link CloseDueBreakoutsHandler} ends them and their people go back. 409 with no room open.
 */
public final class CloseBreakoutsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final BreakoutRepository breakouts;
  private final EventBus eventBus;
  private final int countdownSeconds;

  public CloseBreakoutsHandler(MeetingAccess access, BreakoutRepository breakouts, EventBus eventBus, int countdownSeconds) {
    this.access = access;
    this.breakouts = breakouts;
    this.eventBus = eventBus;
    this.countdownSeconds = countdownSeconds;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireHostOrCohost(caller, id)
      .compose(m -> breakouts.startClosing(caller, id, countdownSeconds))
      .map(closing -> {
        String closesAt = closing.get(0).closesAt();
        JsonObject event = new JsonObject().put("meetingId", id.toString()).put("closesAt", closesAt)
          .put("seconds", countdownSeconds).put("by", caller.userId());
        BreakoutEvents.publish(eventBus, id, "closing", event);
        closing.forEach(room -> BreakoutEvents.publish(eventBus, room.roomId(), "closing",
          event.copy().put("closesAt", room.closesAt())));
        return new JsonObject().put("closesAt", closesAt).put("rooms", closing.size());
      });
  }
}

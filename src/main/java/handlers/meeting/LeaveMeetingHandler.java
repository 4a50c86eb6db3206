package handlers.meeting;

import data.MeetingRepository;
import data.PresenceStore;
import handlers.Inputs;
import handlers.RequestHandler;
import handlers.Webhooks;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code parley.meeting.leave}: the caller leaves (their bridge sockets are out of the meeting at once); others see {@code left}. */
public final class LeaveMeetingHandler extends RequestHandler {

  private final MeetingRepository meetings;
  private final PresenceStore presence;
  private final MeetingEvents events;

  private final EventBus eventBus;

  public LeaveMeetingHandler(MeetingRepository meetings, PresenceStore presence, MeetingEvents events, EventBus eventBus) {
    this.eventBus = eventBus;
    this.meetings = meetings;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return meetings.leave(caller, id)
      .onSuccess(v -> events.revoke(caller.tenant(), id, caller.userId(), "left"))
      .compose(v -> presence.remove(caller.tenant(), id, caller.userId()))
      .compose(v -> meetings.get(caller.tenant(), id))
      .compose(meeting -> {
        events.left(id, caller.userId(), caller.name(), "left");
        Webhooks.emit(eventBus, caller.tenant(), "participant.left", new JsonObject().put("meetingId", id.toString())
          .put("userId", caller.userId()).put("name", caller.name()).put("reason", "left"));
        return events.status(caller.tenant(), meeting).map(v -> meeting);
      });
  }
}

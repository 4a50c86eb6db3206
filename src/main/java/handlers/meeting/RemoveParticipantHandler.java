package handlers.meeting;

import data.PresenceStore;
import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import handlers.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.remove}: a host or co-host removes someone from the meeting (or its lobby).
 * Everyone, the removed person included, hears {@code {type: removed, userId, name, by}}; then that
 * person's bridge sockets are revoked (nothing more reaches them; the media service cuts their
 * media on the same message) and their joins answer 403 until a host admits them again.
 */
public final class RemoveParticipantHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RoomRepository room;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final EventBus eventBus;

  public RemoveParticipantHandler(MeetingAccess access, RoomRepository room, PresenceStore presence, MeetingEvents events,
                                  EventBus eventBus) {
    this.access = access;
    this.room = room;
    this.presence = presence;
    this.events = events;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String userId = Inputs.personId(body, "userId");
    return access.requireRunningRoom(caller, id)
      .compose(m -> room.remove(caller, id, userId))
      .compose(removal -> {
        String name = removal.person().name();
        events.publish(id, "removed", new JsonObject().put("userId", userId).put("name", name).put("by", caller.userId()));
        // after the removed event, so that the person's page hears why
        events.revoke(caller.tenant(), id, userId, "removed");
        if (removal.wasPresent()) {
          events.left(id, userId, name, "removed");
          Webhooks.emit(eventBus, caller.tenant(), "participant.left", new JsonObject().put("meetingId", id.toString())
            .put("userId", userId).put("name", name).put("reason", "removed"));
        }
        return presence.remove(caller.tenant(), id, userId).otherwiseEmpty()
          .map(v -> new JsonObject().put("userId", userId).put("name", name).put("status", "removed"));
      });
  }
}

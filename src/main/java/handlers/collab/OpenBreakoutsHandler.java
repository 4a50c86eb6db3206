package handlers.collab;

import data.BreakoutRepository;
import data.BreakoutRepository.Moved;
import data.MeetingRepository;
import data.PresenceStore;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import handlers.meeting.MeetingEvents;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code parley.breakouts.open}: the host or a co-host opens breakout rooms, each a child meeting,
 * as planned or {@code count} of them shared out automatically. Everyone in the main meeting hears
 * {@code breakouts} {@code opened} with the rooms and who goes where; then each person sent to a room
 * is out of the main meeting ({@code left} with reason {@code moved}, bridge access revoked with
 * reason {@code moved}, so its chat, captions and media no longer reach them) and their page joins
 * the room.
 */
public final class OpenBreakoutsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final BreakoutRepository breakouts;
  private final MeetingRepository meetings;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final EventBus eventBus;
  private final BreakoutInputs.Limits limits;

  public OpenBreakoutsHandler(MeetingAccess access, BreakoutRepository breakouts, MeetingRepository meetings, PresenceStore presence,
                              EventBus eventBus, int maxRooms, int maxNameLength, int maxPeople, int maxDurationMinutes) {
    this.access = access;
    this.breakouts = breakouts;
    this.meetings = meetings;
    this.presence = presence;
    this.eventBus = eventBus;
    this.events = new MeetingEvents(eventBus, presence);
    this.limits = new BreakoutInputs.Limits(maxRooms, maxNameLength, maxPeople, maxDurationMinutes);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    BreakoutInputs.Request request = BreakoutInputs.read(body, limits);
    return access.requireRunningRoom(caller, id)
      .compose(m -> breakouts.open(caller, id, request.plans(), request.auto(), request.durationMinutes()))
      .compose(opened -> {
        BreakoutEvents.publish(eventBus, id, "opened", new JsonObject().put("rooms", opened.rooms())
          .put("by", caller.userId()).put("byName", caller.name()));
        // after the opened event, so that each page hears where it goes before it is taken out
        List<Future<Void>> cleared = new ArrayList<>();
        for (Moved person : opened.moved()) {
          events.revoke(caller.tenant(), id, person.userId(), "moved");
          events.left(id, person.userId(), person.name(), "moved");
          cleared.add(presence.remove(caller.tenant(), id, person.userId()).otherwiseEmpty());
        }
        return Future.join(cleared)
          .compose(v -> meetings.get(caller.tenant(), id))
          .compose(meeting -> events.status(caller.tenant(), meeting))
          .otherwiseEmpty()
          .compose(v -> breakouts.list(caller.tenant(), id));
      });
  }
}

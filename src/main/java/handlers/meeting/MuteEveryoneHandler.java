package handlers.meeting;

import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.muteAll}: {@code {audio, video}} for everyone present but the host and
 * co-hosts; one {@code mute} event (and SFU request) per person, one audit entry.
 */
public final class MuteEveryoneHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RoomRepository room;
  private final MeetingEvents events;
  private final EventBus eventBus;

  public MuteEveryoneHandler(MeetingAccess access, RoomRepository room, MeetingEvents events, EventBus eventBus) {
    this.access = access;
    this.room = room;
    this.events = events;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    boolean[] kinds = MuteParticipantHandler.kinds(body);
    return access.requireRunningRoom(caller, id)
      .compose(m -> room.muteAll(caller, id, kinds[0], kinds[1]))
      .map(people -> {
        JsonArray muted = new JsonArray();
        for (RoomRepository.Person p : people) {
          MuteParticipantHandler.mute(events, eventBus, caller, id, p.userId(), kinds[0], kinds[1]);
          muted.add(p.userId());
        }
        return new JsonObject().put("muted", muted).put("audio", kinds[0]).put("video", kinds[1]);
      });
  }
}

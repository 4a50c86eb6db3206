package handlers.meeting;

import common.ParleyException;
import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.update} ({@code PATCH /meetings/{id}}): {@code {title?, lobby?, locked?}},
 * host or co-host. Everyone hears {@code settings}; switching the lobby off lets in whoever waits.
 */
public final class UpdateMeetingHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RoomRepository room;
  private final MeetingEvents events;

  public UpdateMeetingHandler(MeetingAccess access, RoomRepository room, MeetingEvents events) {
    this.access = access;
    this.room = room;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String title = Inputs.optionalString(body, "title", 200);
    if (title != null) {
      title = title.strip();
      if (title.isEmpty()) {
        throw ParleyException.badRequest("title must not be blank");
      }
    }
    Boolean lobby = Inputs.optionalBoolean(body, "lobby");
    Boolean locked = Inputs.optionalBoolean(body, "locked");
    if (title == null && lobby == null && locked == null) {
      throw ParleyException.badRequest("send at least one of title, lobby, locked");
    }
    String newTitle = title;
    return access.requireRunningRoom(caller, id)
      .compose(m -> room.update(caller, id, newTitle, lobby, locked))
      .map(change -> {
        JsonObject meeting = change.meeting();
        events.publish(id, "settings", new JsonObject().put("title", meeting.getString("title"))
          .put("lobby", meeting.getBoolean("lobby")).put("locked", meeting.getBoolean("locked")).put("by", caller.userId()));
        for (RoomRepository.Person p : change.admitted()) {
          events.answerKnock(id, p.userId(), "admitted", caller.userId());
          events.publish(id, "admitted", new JsonObject().put("userId", p.userId()).put("name", p.name()).put("by", caller.userId()));
        }
        return meeting;
      });
  }
}

package handlers.meeting;

import common.ParleyException;
import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Set;
import java.util.UUID;

/**
 * {@code parley.meeting.role}: {@code {userId, role: cohost|participant}}; the host only (a co-host
 * cannot make others co-hosts). Everyone hears {@code {type: role, userId, name, role, by}}.
 */
public final class ChangeRoleHandler extends RequestHandler {

  private static final Set<String> ROLES = Set.of("cohost", "participant");

  private final MeetingAccess access;
  private final RoomRepository room;
  private final MeetingEvents events;

  public ChangeRoleHandler(MeetingAccess access, RoomRepository room, MeetingEvents events) {
    this.access = access;
    this.room = room;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String userId = Inputs.personId(body, "userId");
    String role = Inputs.requiredString(body, "role", 32);
    if (!ROLES.contains(role)) {
      throw ParleyException.badRequest("role must be cohost or participant");
    }
    return access.requireRunningRoom(caller, id)
      .compose(m -> caller.userId().equals(m.hostId()) ? Future.succeededFuture(m)
        : Future.failedFuture(ParleyException.forbidden("only the host can change roles")))
      .compose(m -> room.setRole(caller, id, userId, role))
      .map(person -> {
        events.publish(id, "role", new JsonObject().put("userId", userId).put("name", person.name()).put("role", role)
          .put("by", caller.userId()));
        return new JsonObject().put("userId", userId).put("name", person.name()).put("role", role);
      });
  }
}

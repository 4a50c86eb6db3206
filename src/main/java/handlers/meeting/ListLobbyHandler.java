package handlers.meeting;

import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code parley.meeting.lobby}: who waits to be let in, first come first; host or co-host. */
public final class ListLobbyHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RoomRepository room;

  public ListLobbyHandler(MeetingAccess access, RoomRepository room) {
    this.access = access;
    this.room = room;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireHostOrCohost(caller, id)
      .compose(m -> room.waiting(caller.tenant(), id))
      .map(waiting -> new JsonObject().put("waiting", waiting));
  }
}

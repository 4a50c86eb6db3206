package handlers.collab;

import data.BreakoutRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.breakouts.list}: {@code {meetingId}} by a member of the meeting (present or not:
 * those sent to a room are no longer present in it) -> its rooms, oldest first, with who was sent
 * where and who is in each now, and who is in the main meeting.
 */
public final class ListBreakoutsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final BreakoutRepository breakouts;

  public ListBreakoutsHandler(MeetingAccess access, BreakoutRepository breakouts) {
    this.access = access;
    this.breakouts = breakouts;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireMember(caller, id).compose(m -> breakouts.list(caller.tenant(), id));
  }
}

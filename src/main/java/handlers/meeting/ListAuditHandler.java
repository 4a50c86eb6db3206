package handlers.meeting;

import common.ParleyException;
import data.MeetingRepository;
import data.RoomRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.audit}: who did what to whom and when, oldest first, paged with
 * {@code after}; for the host, co-hosts and the tenant's administrators (also after the meeting).
 */
public final class ListAuditHandler extends RequestHandler {

  private final MeetingRepository meetings;
  private final RoomRepository room;

  public ListAuditHandler(MeetingRepository meetings, RoomRepository room) {
    this.meetings = meetings;
    this.room = room;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    long after = Inputs.longValue(body, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) Inputs.longValue(body, "limit", 100, 1, 500);
    return meetings.membership(caller.tenant(), id, caller.userId())
      .compose(m -> {
        if (!m.exists()) {
          return Future.failedFuture(ParleyException.notFound("meeting not found"));
        }
        if (!m.runsRoom(caller.userId()) && !caller.isAdmin()) {
          return Future.failedFuture(ParleyException.forbidden("only the host, a co-host or an administrator can read the audit log"));
        }
        return room.auditLog(caller.tenant(), id, after, limit);
      });
  }
}

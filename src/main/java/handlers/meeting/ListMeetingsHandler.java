package handlers.meeting;

import common.ParleyException;
import data.MeetingRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Set;

/** {@code parley.meeting.list}: {@code {status?, limit?, cursor?}}, served from the read pool. */
public final class ListMeetingsHandler extends RequestHandler {

  private static final Set<String> STATUSES = Set.of("scheduled", "live", "ended");
  private final MeetingRepository meetings;

  public ListMeetingsHandler(MeetingRepository meetings) {
    this.meetings = meetings;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    String status = Inputs.optionalString(body, "status", 16);
    if (status != null && !STATUSES.contains(status)) {
      throw ParleyException.badRequest("status must be one of scheduled, live, ended");
    }
    int limit = (int) Inputs.longValue(body, "limit", 20, 1, 100);
    return meetings.list(caller.tenant(), status, limit, Inputs.optionalString(body, "cursor", 200));
  }
}

package handlers.meeting;

import data.MeetingRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.meeting.get}: any member of the tenant may read a meeting's metadata. */
public final class GetMeetingHandler extends RequestHandler {

  private final MeetingRepository meetings;

  public GetMeetingHandler(MeetingRepository meetings) {
    this.meetings = meetings;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    return meetings.get(caller.tenant(), Inputs.meetingId(body));
  }
}

package handlers.meeting;

import data.MeetingRepository;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/** {@code parley.meeting.create}: {@code {title, scheduledAt?, lobby?, locked?}}; the caller becomes host. */
public final class CreateMeetingHandler extends RequestHandler {

  private final MeetingRepository meetings;

  public CreateMeetingHandler(MeetingRepository meetings) {
    this.meetings = meetings;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    String title = Inputs.requiredString(body, "title", 200).strip();
    Boolean lobby = Inputs.optionalBoolean(body, "lobby");
    Boolean locked = Inputs.optionalBoolean(body, "locked");
    return meetings.create(caller, title, Inputs.optionalTimestamp(body, "scheduledAt"), Boolean.TRUE.equals(lobby),
      Boolean.TRUE.equals(locked));
  }
}

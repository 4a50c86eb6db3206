package handlers.meeting;

import data.MeetingRepository;
import data.PresenceStore;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code parley.meeting.join}: membership in PostgreSQL, presence in Redis, a {@code joined} event. */
public final class JoinMeetingHandler extends RequestHandler {

  private final MeetingRepository meetings;
  private final PresenceStore presence;
  private final MeetingEvents events;

  public JoinMeetingHandler(MeetingRepository meetings, PresenceStore presence, MeetingEvents events) {
    this.meetings = meetings;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return meetings.join(caller, id).compose(meeting -> presence.touch(caller.tenant(), id, caller.userId(), caller.name())
      .compose(fresh -> {
        if (fresh) {
          events.joined(id, caller, meeting.getString("role"));
        }
        return events.status(caller.tenant(), meeting);
      })
      .map(v -> meeting.put("participantId", caller.userId())));
  }
}

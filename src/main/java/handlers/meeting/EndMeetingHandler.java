package handlers.meeting;

import common.Addresses;
import data.MeetingRepository;
import data.PresenceStore;
import handlers.Inputs;
import handlers.RequestHandler;
import handlers.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;
import telemetry.ParleyMetrics;

import java.util.UUID;

/** {@code parley.meeting.end}: host only; everyone is told {@code ended}, their bridge sockets are out of the meeting, and live state is cleared. */
public final class EndMeetingHandler extends RequestHandler {

  private final MeetingRepository meetings;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final ParleyMetrics metrics;

  private final EventBus eventBus;

  public EndMeetingHandler(MeetingRepository meetings, PresenceStore presence, MeetingEvents events, ParleyMetrics metrics,
                           EventBus eventBus) {
    this.eventBus = eventBus;
    this.metrics = metrics;
    this.meetings = meetings;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return meetings.end(caller, id).compose(meeting -> {
      String startedAt = meeting.getString("startedAt");
      if (startedAt != null) {
        metrics.meetingMinutes(caller.tenant(), java.time.Duration.between(java.time.Instant.parse(startedAt),
          java.time.Instant.parse(meeting.getString("endedAt"))).toMillis() / 60_000d);
      }
      events.publish(id, "ended", new JsonObject().put("by", caller.userId()).put("endedAt", meeting.getString("endedAt")));
      // after the ended event, so that every socket hears it before it is taken out
      meeting.getJsonArray("participants").forEach(p ->
        events.revoke(caller.tenant(), id, ((JsonObject) p).getString("userId"), "ended"));
      // One collaboration instance (on any node) exports the transcript and completes recordings.
      eventBus.send(Addresses.MEETING_ENDED, new JsonObject().put("tenant", caller.tenant()).put("meetingId", id.toString()));
      Webhooks.emit(eventBus, caller.tenant(), "meeting.ended", new JsonObject().put("meetingId", id.toString())
        .put("title", meeting.getString("title")).put("startedAt", startedAt).put("endedAt", meeting.getString("endedAt"))
        .put("participants", meeting.getJsonArray("participants").size()));
      return presence.clear(caller.tenant(), id).otherwiseEmpty()
        .compose(v -> events.status(caller.tenant(), meeting))
        .map(v -> meeting);
    });
  }
}

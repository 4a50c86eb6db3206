package handlers.meeting;

import common.ParleyException;
import data.MeetingRepository;
import data.PresenceStore;
import data.RateCounter;
import handlers.Inputs;
import handlers.RequestHandler;
import handlers.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.join}: membership in PostgreSQL, presence in Redis, a {@code joined} event.
 * With the lobby on, someone not yet admitted waits instead: the answer is 202 {@code {status:
 * waiting}} and the hosts get {@code {type: knock, userId, name}}; knocking more than
 * {@code lobby.knocksPerMinute} times a minute is 429.
 */
public final class JoinMeetingHandler extends RequestHandler {

  /** The {@code lobby} settings a join needs. */
  public record LobbyLimits(int maxWaiting, int knocksPerMinute) {
  }

  private final MeetingRepository meetings;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final RateCounter knocks;
  private final LobbyLimits limits;
  private final EventBus eventBus;

  public JoinMeetingHandler(MeetingRepository meetings, PresenceStore presence, MeetingEvents events, RateCounter knocks,
                            LobbyLimits limits, EventBus eventBus) {
    this.meetings = meetings;
    this.presence = presence;
    this.events = events;
    this.knocks = knocks;
    this.limits = limits;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return meetings.join(caller, id, limits.maxWaiting()).compose(joined -> {
      if (joined.waiting()) {
        return knock(caller, id, joined.meeting());
      }
      JsonObject meeting = joined.meeting();
      if (joined.started()) {
        Webhooks.emit(eventBus, caller.tenant(), "meeting.started", new JsonObject().put("meetingId", id.toString())
          .put("title", meeting.getString("title")).put("startedAt", meeting.getString("startedAt")));
      }
      return presence.touch(caller.tenant(), id, caller.userId(), caller.name())
        .compose(fresh -> {
          if (fresh) {
            events.joined(id, caller, meeting.getString("role"));
            Webhooks.emit(eventBus, caller.tenant(), "participant.joined", new JsonObject().put("meetingId", id.toString())
              .put("userId", caller.userId()).put("name", caller.name()).put("role", meeting.getString("role")));
          }
          return events.status(caller.tenant(), meeting);
        })
        .map(v -> meeting.put("participantId", caller.userId()));
    });
  }

  private Future<JsonObject> knock(Identity caller, UUID id, JsonObject meeting) {
    return knocks.hit(PresenceStore.key(caller.tenant(), id, "knocks:" + caller.userId()), 60).compose(count -> {
      if (count > limits.knocksPerMinute()) {
        return Future.failedFuture(ParleyException.rateLimited("you are waiting already; knocking again is possible "
          + limits.knocksPerMinute() + " times a minute"));
      }
      events.publish(id, "knock", new JsonObject().put("userId", caller.userId()).put("name", caller.name()));
      return Future.succeededFuture(withStatus(new JsonObject().put("status", "waiting").put("id", id.toString())
        .put("title", meeting.getString("title")).put("participantId", caller.userId()), 202));
    });
  }
}

package handlers.collab;

import common.ParleyException;
import data.PollRepository;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Optional;
import java.util.UUID;

/**
 * {@code parley.poll.close}: {@code {meetingId, pollId}} by the host or a co-host -> the poll,
 * closed, with its final counts; votes are refused from then on (an anonymous poll's salt is
 * erased). Closing a closed poll answers the same. Everyone hears {@code poll} {@code closed}.
 */
public final class ClosePollHandler extends PollHandler {

  public ClosePollHandler(MeetingAccess access, PollRepository polls, EventBus eventBus) {
    super(access, polls, eventBus);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body, UUID meetingId, UUID pollId) {
    return access.requireHostOrCohost(caller, meetingId)
      .compose(m -> polls.close(caller.tenant(), meetingId, pollId, caller.userId()))
      .compose(closed -> polls.get(caller.tenant(), meetingId, pollId, caller.userId()).compose(found -> found
        .map(poll -> {
          if (closed) {
            PollEvents.publish(eventBus, meetingId, "closed", poll);
          }
          return Future.succeededFuture(poll);
        })
        .orElseGet(() -> Future.failedFuture(ParleyException.notFound("poll not found")))));
  }
}

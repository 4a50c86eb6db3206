package handlers.collab;

import common.ParleyException;
import data.PollRepository;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.poll.get}: {@code {meetingId, pollId}} -> the poll with {@code voters}, {@code
 * counts} per option and the caller's {@code mine}; members (present or past) only. The host and
 * co-hosts also get {@code votes} (who chose what) of a named poll; an anonymous poll has none.
 */
public final class GetPollHandler extends PollHandler {

  public GetPollHandler(MeetingAccess access, PollRepository polls, EventBus eventBus) {
    super(access, polls, eventBus);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body, UUID meetingId, UUID pollId) {
    return access.requireMember(caller, meetingId).compose(m -> polls.get(caller.tenant(), meetingId, pollId, caller.userId())
      .compose(found -> {
        if (found.isEmpty()) {
          return Future.failedFuture(ParleyException.notFound("poll not found"));
        }
        JsonObject poll = found.get();
        if (!m.runsRoom(caller.userId()) || poll.getBoolean("anonymous")) {
          return Future.succeededFuture(poll);
        }
        return polls.namedVotes(pollId).map(votes -> poll.put("votes", votes));
      }));
  }
}

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
 * {@code poll.vote} (bridge): {@code {meetingId, pollId, choices: [optionIndex]}} by someone present
 * -> the poll with its counts and the caller's choices ({@code mine}). One vote per person; a later
 * vote replaces it until the poll closes (409 after). A poll of another meeting is 404. Everyone
 * hears {@code poll} {@code voted} with the new counts.
 */
public final class VotePollHandler extends PollHandler {

  public VotePollHandler(MeetingAccess access, PollRepository polls, EventBus eventBus) {
    super(access, polls, eventBus);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body, UUID meetingId, UUID pollId) {
    return access.requirePresent(caller, meetingId)
      .compose(m -> open(caller, meetingId, pollId))
      .compose(poll -> {
        int[] choices = PollInputs.choices(body, poll.getJsonArray("options").size(), poll.getBoolean("multiple"));
        return polls.vote(caller.tenant(), meetingId, pollId, caller.userId(), caller.name(), choices);
      })
      .compose(voted -> voted
        ? polls.get(caller.tenant(), meetingId, pollId, caller.userId()).map(java.util.Optional::get)
        // closed between the read and the vote (open() says 409, or 404 had it gone)
        : open(caller, meetingId, pollId).compose(p -> Future.failedFuture(ParleyException.conflict("poll is closed"))))
      .onSuccess(poll -> PollEvents.publish(eventBus, meetingId, "voted", poll));
  }

  /** The poll when it is an open poll of this meeting: 404 when it is not the meeting's, 409 when closed. */
  private Future<JsonObject> open(Identity caller, UUID meetingId, UUID pollId) {
    return polls.get(caller.tenant(), meetingId, pollId, caller.userId()).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ParleyException.notFound("poll not found"));
      }
      if (!"open".equals(found.get().getString("status"))) {
        return Future.failedFuture(ParleyException.conflict("poll is closed"));
      }
      return Future.succeededFuture(found.get());
    });
  }
}

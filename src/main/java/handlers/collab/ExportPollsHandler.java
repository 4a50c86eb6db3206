package handlers.collab;

import data.PollRepository;
import handlers.storage.ExportAtMeetingEnd;
import handlers.storage.MeetingExports;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code parley.meeting.ended}: every poll still open is closed, and the results of all of them
 * (counts per option; who chose what in named polls) are written as {@code polls.json}, listed
 * with the meeting's files ({@code kind: polls}). Nothing is written for a meeting without polls.
 */
public final class ExportPollsHandler extends ExportAtMeetingEnd {

  private final PollRepository polls;

  public ExportPollsHandler(PollRepository polls, MeetingExports exports) {
    super(exports, "polls");
    this.polls = polls;
  }

  /** Closes the open polls and writes polls.json; how many polls it holds. */
  @Override
  protected Future<Integer> export(String tenant, UUID meetingId) {
    return polls.closeAll(tenant, meetingId)
      .compose(closed -> polls.list(tenant, meetingId, ""))
      .compose(list -> {
        if (list.isEmpty()) {
          return Future.succeededFuture(0);
        }
        List<Future<JsonObject>> withVotes = new ArrayList<>();
        for (JsonObject poll : list) {
          poll.remove("mine");
          withVotes.add(poll.getBoolean("anonymous") ? Future.succeededFuture(poll)
            : polls.namedVotes(UUID.fromString(poll.getString("id"))).map(votes -> poll.put("votes", votes)));
        }
        return Future.all(withVotes).compose(all -> {
          JsonObject json = new JsonObject().put("meetingId", meetingId.toString())
            .put("exportedAt", Instant.now().toString()).put("polls", new JsonArray(new ArrayList<Object>(all.list())));
          return exports.put(tenant, meetingId, "polls", "polls.json", "application/json", Buffer.buffer(json.encodePrettily()))
            .map(stored -> list.size());
        });
      });
  }
}

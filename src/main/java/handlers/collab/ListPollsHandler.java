package handlers.collab;

import data.PollRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.ArrayList;
import java.util.UUID;

/** {@code parley.poll.list}: {@code {meetingId}} -> {@code {items}}, the meeting's polls oldest first with their counts; members only. */
public final class ListPollsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PollRepository polls;

  public ListPollsHandler(MeetingAccess access, PollRepository polls) {
    this.access = access;
    this.polls = polls;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    return access.requireMember(caller, meetingId)
      .compose(m -> polls.list(caller.tenant(), meetingId, caller.userId()))
      .map(list -> new JsonObject().put("items", new JsonArray(new ArrayList<Object>(list))));
  }
}

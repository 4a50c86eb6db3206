package handlers.collab;

import data.PollRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** A request about one poll, {@code {meetingId, pollId}}: a malformed poll id is 404 like an unknown one. */
abstract class PollHandler extends RequestHandler {

  protected final MeetingAccess access;
  protected final PollRepository polls;
  protected final EventBus eventBus;

  PollHandler(MeetingAccess access, PollRepository polls, EventBus eventBus) {
    this.access = access;
    this.polls = polls;
    this.eventBus = eventBus;
  }

  @Override
  protected final Future<JsonObject> handle(Identity caller, JsonObject body) {
    return handle(caller, body, Inputs.meetingId(body), Inputs.id(body, "pollId", "poll not found"));
  }

  protected abstract Future<JsonObject> handle(Identity caller, JsonObject body, UUID meetingId, UUID pollId);
}

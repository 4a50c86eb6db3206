package handlers.collab;

import data.PollRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.List;
import java.util.UUID;

/**
 * {@code parley.poll.create}: {@code {meetingId, question, options, anonymous?, multiple?}} by the
 * host or a co-host of a meeting that has not ended -> the poll, open, with no votes; everyone
 * present hears {@code poll} {@code created}.
 */
public final class CreatePollHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PollRepository polls;
  private final EventBus eventBus;
  private final PollInputs.Limits limits;

  public CreatePollHandler(MeetingAccess access, PollRepository polls, EventBus eventBus, int maxOptions,
                           int maxQuestionLength, int maxOptionLength) {
    this.access = access;
    this.polls = polls;
    this.eventBus = eventBus;
    this.limits = new PollInputs.Limits(maxOptions, maxQuestionLength, maxOptionLength);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String question = Inputs.requiredString(body, "question", limits.maxQuestionLength()).strip();
    List<String> options = PollInputs.options(body, limits);
    boolean anonymous = Boolean.TRUE.equals(Inputs.optionalBoolean(body, "anonymous"));
    boolean multiple = Boolean.TRUE.equals(Inputs.optionalBoolean(body, "multiple"));
    return access.requireRunningRoom(caller, meetingId)
      .compose(m -> polls.create(caller, meetingId, question, options, anonymous, multiple))
      .onSuccess(poll -> PollEvents.publish(eventBus, meetingId, "created", poll));
  }
}

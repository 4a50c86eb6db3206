package handlers.meeting;

import common.Addresses;
import common.ParleyException;
import data.MeetingRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Set;
import java.util.UUID;

/**
 * {@code signal.send}: WebRTC signaling relayed to one participant's private address. Both ends
 * must be present in the meeting; the sender is stamped by the server. A {@code probe} goes to the
 * sender alone: it comes back once the sender's own signaling address delivers (the mesh waits for
 * it before calling, so that no answer is lost).
 */
public final class SendSignalHandler extends RequestHandler {

  private static final Set<String> KINDS = Set.of("offer", "answer", "ice", "bye", "probe");
  private static final int MAX_DATA_CHARS = 32 * 1024;

  private final MeetingAccess access;
  private final MeetingRepository meetings;
  private final EventBus eventBus;

  public SendSignalHandler(MeetingAccess access, MeetingRepository meetings, EventBus eventBus) {
    this.access = access;
    this.meetings = meetings;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String to = Inputs.requiredString(body, "to", 64);
    String kind = Inputs.requiredString(body, "kind", 16);
    if (!KINDS.contains(kind)) {
      throw ParleyException.badRequest("kind must be one of offer, answer, ice, bye, probe");
    }
    if ("probe".equals(kind) && !to.equals(caller.userId())) {
      throw ParleyException.badRequest("a probe goes to yourself");
    }
    Object data = body.getValue("data");
    if (data != null && String.valueOf(data).length() > MAX_DATA_CHARS) {
      throw ParleyException.tooLarge("signal data is larger than " + MAX_DATA_CHARS + " characters");
    }
    return access.requirePresent(caller, id)
      .compose(m -> meetings.membership(caller.tenant(), id, to))
      .compose(target -> {
        if (!target.present()) {
          return Future.failedFuture(ParleyException.notFound("participant " + to + " is not in this meeting"));
        }
        eventBus.publish(Addresses.meetingSignal(id, to), new JsonObject()
          .put("from", caller.userId()).put("fromName", caller.name()).put("kind", kind).put("data", data));
        return Future.succeededFuture(new JsonObject());
      });
  }
}

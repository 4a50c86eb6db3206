package handlers.media;

import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * What every {@code media.*} request does, in this order: its fields are checked ({@link #check}),
 * the caller must be present in the meeting, and only then does it go to the room's owner and
 * Janus. Nothing malformed, oversized or unauthorised reaches Janus.
 */
abstract class MediaRequest extends RequestHandler {

  private final MeetingAccess access;
  protected final MediaRooms rooms;
  private final String op;

  MediaRequest(MeetingAccess access, MediaRooms rooms, String op) {
    this.access = access;
    this.rooms = rooms;
    this.op = op;
  }

  @Override
  protected final Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    check(body);
    // the service span of this request, current now (not in the callbacks of the database's future)
    Context trace = Context.current();
    return access.requirePresent(caller, meetingId).compose(m -> {
      try (Scope ignored = trace.makeCurrent()) {
        return run(caller, meetingId, body);
      }
    });
  }

  /** Throws the contract's 400/413 for a malformed or oversized request. */
  protected abstract void check(JsonObject body);

  protected Future<JsonObject> run(Identity caller, UUID meetingId, JsonObject body) {
    return rooms.execute(caller, meetingId, op, body);
  }
}

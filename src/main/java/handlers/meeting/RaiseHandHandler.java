package handlers.meeting;

import data.PresenceStore;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code meeting.hand}: {@code {meetingId, raised}}; everyone sees a {@code hand} event. */
public final class RaiseHandHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PresenceStore presence;
  private final MeetingEvents events;

  public RaiseHandHandler(MeetingAccess access, PresenceStore presence, MeetingEvents events) {
    this.access = access;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    boolean raised = Inputs.requiredBoolean(body, "raised");
    return access.requirePresent(caller, id)
      .compose(m -> presence.setHand(caller.tenant(), id, caller.userId(), raised))
      .map(v -> {
        events.publish(id, "hand", new JsonObject().put("userId", caller.userId()).put("name", caller.name()).put("raised", raised));
        return new JsonObject();
      });
  }
}

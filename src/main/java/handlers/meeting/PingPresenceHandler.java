package handlers.meeting;

import data.PresenceStore;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code presence.ping}: a heartbeat from a present participant; answers with who is present. */
public final class PingPresenceHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PresenceStore presence;
  private final MeetingEvents events;

  public PingPresenceHandler(MeetingAccess access, PresenceStore presence, MeetingEvents events) {
    this.access = access;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requirePresent(caller, id)
      .compose(m -> presence.touch(caller.tenant(), id, caller.userId(), caller.name()).map(fresh -> {
        if (fresh) {
          events.joined(id, caller, m.role());
        }
        return fresh;
      }))
      .compose(v -> presence.present(caller.tenant(), id))
      .map(list -> new JsonObject().put("participants", list));
  }
}

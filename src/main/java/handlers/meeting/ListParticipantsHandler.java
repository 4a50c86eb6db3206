package handlers.meeting;

import data.PresenceStore;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/** {@code parley.meeting.participants}: who is present now, from Redis heartbeats. Members only. */
public final class ListParticipantsHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PresenceStore presence;

  public ListParticipantsHandler(MeetingAccess access, PresenceStore presence) {
    this.access = access;
    this.presence = presence;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    return access.requireMember(caller, id)
      .compose(m -> presence.present(caller.tenant(), id))
      .map(list -> new JsonObject().put("participants", list));
  }
}

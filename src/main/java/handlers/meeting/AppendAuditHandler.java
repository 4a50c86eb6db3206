package handlers.meeting;

import common.ParleyException;
import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.Set;
import java.util.UUID;

/**
 * {@code parley.audit.append}: another service records what the caller did in a meeting (recording
 * start and stop); the caller must have joined it. Internal: never bridged.
 */
public final class AppendAuditHandler extends RequestHandler {

  /** What other services may record; the meeting service writes the room's own actions itself. */
  static final Set<String> ACTIONS = Set.of("recording_start", "recording_stop", "recording_retry");

  private final MeetingAccess access;
  private final RoomRepository room;

  public AppendAuditHandler(MeetingAccess access, RoomRepository room) {
    this.access = access;
    this.room = room;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String action = Inputs.requiredString(body, "action", 64);
    if (!ACTIONS.contains(action)) {
      throw ParleyException.badRequest("action must be one of " + ACTIONS);
    }
    String targetId = Inputs.optionalString(body, "targetId", 200);
    String targetName = Inputs.optionalString(body, "targetName", 200);
    JsonObject details = body.getValue("details") instanceof JsonObject d ? d : new JsonObject();
    return access.requireMember(caller, id)
      .compose(m -> room.append(caller, id, new RoomRepository.AuditEntry(action, targetId, targetName, details)))
      .map(v -> new JsonObject());
  }
}

package handlers.collab;

import common.Addresses;
import common.ParleyException;
import data.WhiteboardRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code whiteboard.draw} (bridge): {@code {meetingId, clientId, op}} by someone present -> {@code
 * {seq, duplicate, op}}. The operation is checked ({@link WhiteboardOps}), stored with the meeting's
 * next whiteboard {@code seq} and published on {@code meeting.{id}.whiteboard} as {@code {kind: op,
 * seq, senderId, senderName, op, ts}}. Idempotent on {@code clientId}. An undo names the sender's
 * latest stroke, shape or text still on the board (409 when there is none); a clear is the host's
 * or a co-host's (403).
 */
public final class DrawOnWhiteboardHandler extends RequestHandler {

  private final MeetingAccess access;
  private final WhiteboardRepository board;
  private final EventBus eventBus;
  private final WhiteboardOps.Limits limits;

  public DrawOnWhiteboardHandler(MeetingAccess access, WhiteboardRepository board, EventBus eventBus, int width, int height,
                                 int maxPoints, int maxTextLength) {
    this.access = access;
    this.board = board;
    this.eventBus = eventBus;
    this.limits = new WhiteboardOps.Limits(width, height, maxPoints, maxTextLength);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String clientId = Inputs.requiredString(body, "clientId", 64);
    if (!clientId.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw ParleyException.badRequest("clientId must be 1-64 letters, digits or _.:-");
    }
    JsonObject op = WhiteboardOps.normalise(body.getValue("op"), limits);
    Future<JsonObject> ready = switch (op.getString("type")) {
      case "clear" -> access.requireRunningRoom(caller, meetingId).map(m -> op);
      case "undo" -> board.undoTarget(meetingId, caller.userId()).compose(target -> target
        .map(seq -> Future.succeededFuture(op.put("target", seq)))
        .orElseGet(() -> Future.failedFuture(ParleyException.conflict("nothing of yours to undo"))));
      default -> Future.succeededFuture(op);
    };
    return ready.compose(stored -> board.append(caller, meetingId, clientId, stored))
      .map(stored -> {
        if (stored.created()) {
          eventBus.publish(Addresses.meetingWhiteboard(meetingId), stored.op().copy().put("kind", "op"));
        }
        return new JsonObject().put("seq", stored.op().getLong("seq")).put("op", stored.op().getJsonObject("op"))
          .put("duplicate", !stored.created());
      });
  }
}

package handlers.media;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * {@code parley.bridge.revoke} (published): someone lost access to a meeting (left, removed, the
 * meeting ended). The instance that drives the meeting's room kicks their Janus handles at once,
 * or destroys the room when the meeting ended; every other instance ignores it.
 */
public final class RevokeMediaHandler implements Handler<Message<Object>> {

  private final MediaRooms rooms;

  public RevokeMediaHandler(MediaRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(Message<Object> message) {
    if (!(message.body() instanceof JsonObject body) || body.getString("meetingId") == null) {
      return;
    }
    UUID meetingId;
    try {
      meetingId = UUID.fromString(body.getString("meetingId"));
    } catch (IllegalArgumentException e) {
      return;
    }
    rooms.revoke(meetingId, body.getString("userId"), body.getString("reason"));
  }
}

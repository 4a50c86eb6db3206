package handlers.media;

import common.ParleyException;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * {@code parley.media.record} (internal, from the recording service): Janus records every
 * publisher of the meeting's room into a folder, or stops. The caller has checked who asks.
 */
public final class RecordMediaHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(RecordMediaHandler.class);

  private final MediaRooms rooms;

  public RecordMediaHandler(MediaRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(Message<Object> message) {
    String expected = "{tenant, meetingId, dir, on}";
    if (message.body() instanceof JsonObject b && (!(b.getValue("on") instanceof Boolean o) || (o && b.getString("dir") == null))) {
      message.fail(400, "expected " + expected);
      return;
    }
    UUID meetingId = MediaInputs.internalMeeting(message, expected);
    if (meetingId == null) {
      return;
    }
    JsonObject body = (JsonObject) message.body();
    boolean on = body.getBoolean("on");
    rooms.record(body.getString("tenant"), meetingId, body.getString("dir"), on)
      .onSuccess(message::reply)
      .onFailure(err -> {
        if (err instanceof ParleyException pe) {
          message.fail(pe.status(), pe.getMessage());
        } else {
          LOG.warn("Could not {} recording meeting {}: {}", on ? "start" : "stop", meetingId, err.getMessage());
          message.fail(503, "the media server could not " + (on ? "start" : "stop") + " recording");
        }
      });
  }
}

package handlers.media;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * {@code parley.media.mute} (internal, sent by the meeting service when a host mutes someone):
 * Janus stops relaying that participant's audio and/or video, whatever their page does, until the
 * block is lifted ({@code false}). Registered only when meetings use the SFU.
 */
public final class EnforceMuteHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(EnforceMuteHandler.class);

  private final MediaRooms rooms;

  public EnforceMuteHandler(MediaRooms rooms) {
    this.rooms = rooms;
  }

  @Override
  public void handle(Message<Object> message) {
    String expected = "{tenant, meetingId, userId, audio?, video?}";
    if (message.body() instanceof JsonObject b && b.getString("userId") == null) {
      message.fail(400, "expected " + expected);
      return;
    }
    UUID meetingId = MediaInputs.internalMeeting(message, expected);
    if (meetingId == null) {
      return;
    }
    JsonObject body = (JsonObject) message.body();
    Boolean audio = body.getValue("audio") instanceof Boolean b ? b : null;
    Boolean video = body.getValue("video") instanceof Boolean b ? b : null;
    rooms.mute(body.getString("tenant"), meetingId, body.getString("userId"), audio, video)
      .onSuccess(message::reply)
      .onFailure(err -> {
        LOG.warn("Could not enforce a mute in meeting {}: {}", meetingId, err.getMessage());
        message.fail(503, "the mute could not be enforced by the media server");
      });
  }
}

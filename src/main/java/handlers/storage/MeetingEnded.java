package handlers.storage;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;

import java.util.Optional;
import java.util.UUID;

/** The {@code parley.meeting.ended} message as read by the handlers that finish a meeting's objects. */
public record MeetingEnded(String tenant, UUID meetingId) {

  /** The message's tenant and meeting, or empty (logged) when it is malformed. */
  public static Optional<MeetingEnded> of(Message<Object> message, Logger log) {
    if (!(message.body() instanceof JsonObject body) || body.getString("tenant") == null) {
      log.warn("Ignoring a malformed meeting-ended message");
      return Optional.empty();
    }
    try {
      return Optional.of(new MeetingEnded(body.getString("tenant"), UUID.fromString(body.getString("meetingId"))));
    } catch (RuntimeException e) {
      log.warn("Ignoring a meeting-ended message without a meeting id");
      return Optional.empty();
    }
  }

  public static String why(Throwable err) {
    return err.getMessage() + (err.getCause() == null ? "" : " (" + err.getCause().getMessage() + ")");
  }
}

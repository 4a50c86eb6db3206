package handlers.meeting;

import common.Addresses;
import data.PresenceStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.time.Instant;
import java.util.UUID;

/** Publishes {@code meeting.{id}} events and keeps the meeting's live status in Redis. */
public final class MeetingEvents {

  private static final Logger LOG = LoggerFactory.getLogger(MeetingEvents.class);

  private final EventBus eventBus;
  private final PresenceStore presence;

  public MeetingEvents(EventBus eventBus, PresenceStore presence) {
    this.eventBus = eventBus;
    this.presence = presence;
  }

  public void publish(UUID meetingId, String type, JsonObject payload) {
    eventBus.publish(Addresses.meeting(meetingId), payload.copy().put("type", type).put("ts", Instant.now().toString()));
  }

  public void joined(UUID meetingId, Identity who, String role) {
    publish(meetingId, "joined", new JsonObject().put("userId", who.userId()).put("name", who.name()).put("role", role));
  }

  public void left(UUID meetingId, String userId, String name, String reason) {
    publish(meetingId, "left", new JsonObject().put("userId", userId).put("name", name).put("reason", reason));
  }

  /** Mirrors status and head-count into Redis; a Redis failure is logged, never fails the request. */
  public Future<Void> status(String tenant, JsonObject meeting) {
    long present = meeting.getJsonArray("participants").stream()
      .map(JsonObject.class::cast).filter(p -> p.getString("leftAt") == null).count();
    UUID id = UUID.fromString(meeting.getString("id"));
    publish(id, "status", new JsonObject().put("status", meeting.getString("status")).put("participants", present));
    return presence.setStatus(tenant, id, meeting.getString("status"), present, meeting.getString("hostId"))
      .onFailure(err -> LOG.warn("Could not mirror meeting {} status to Redis: {}", id, err.getMessage()))
      .otherwiseEmpty();
  }
}

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

  /** What one waiting person hears on their lobby address: {@code admitted} or {@code denied}. */
  public void answerKnock(UUID meetingId, String userId, String type, String by) {
    eventBus.publish(Addresses.meetingLobby(meetingId, userId), new JsonObject().put("type", type).put("by", by)
      .put("ts", Instant.now().toString()));
  }

  /**
   * Takes {@code userId}'s bridge sockets out of the meeting on every gateway of every node
   * ({@link Addresses#BRIDGE_REVOKE}); {@code reason} is left, removed, ended or moved.
   */
  public void revoke(String tenant, UUID meetingId, String userId, String reason) {
    eventBus.publish(Addresses.BRIDGE_REVOKE, new JsonObject().put("tenant", tenant).put("meetingId", meetingId.toString())
      .put("userId", userId).put("reason", reason));
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

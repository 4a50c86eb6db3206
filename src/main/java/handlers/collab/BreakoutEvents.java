package handlers.collab;

import common.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * What the pages hear of breakout rooms: {@code {type: breakouts, action: opened|broadcast|closing|closed, ...}}
 * on {@code meeting.{id}} of the main meeting and of the rooms.
 */
final class BreakoutEvents {

  private BreakoutEvents() {
  }

  static void publish(EventBus eventBus, UUID meetingId, String action, JsonObject payload) {
    eventBus.publish(Addresses.meeting(meetingId), payload.copy().put("type", "breakouts").put("action", action)
      .put("ts", Instant.now().toString()));
  }
}

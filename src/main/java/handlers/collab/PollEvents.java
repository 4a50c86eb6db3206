package handlers.collab;

import common.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/** Live results: {@code {type: poll, action: created|voted|closed, poll}} on {@code meeting.{id}}, without anyone's own choices. */
final class PollEvents {

  private PollEvents() {
  }

  static void publish(EventBus eventBus, UUID meetingId, String action, JsonObject poll) {
    JsonObject shared = poll.copy();
    shared.remove("mine");
    shared.remove("votes");
    eventBus.publish(Addresses.meeting(meetingId), new JsonObject().put("type", "poll").put("action", action)
      .put("poll", shared).put("ts", Instant.now().toString()));
  }
}

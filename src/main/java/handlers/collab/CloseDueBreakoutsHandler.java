package handlers.collab;

import common.Addresses;
import data.BreakoutRepository;
import data.BreakoutRepository.Closed;
import data.BreakoutRepository.Closing;
import data.BreakoutRepository.Moved;
import data.PresenceStore;
import handlers.meeting.MeetingEvents;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The breakout rooms' clock, run every {@code breakouts.sweepMs} on each instance (PostgreSQL
 * decides which instance acts on a room, so each change is announced once): rooms whose time
 * ({@code durationMinutes}) ran out start the countdown ({@code breakouts} {@code closing}); rooms
 * whose countdown is over, or whose main meeting ended, end: {@code breakouts} {@code closed
 * {meetingId, roomId}} in the room (each page goes back to the main meeting), everyone in it is out
 * of it (bridge access revoked, reason {@code ended}: media closes the room), and its chat,
 * transcript, polls and whiteboard are exported as any meeting's are ({@code parley.meeting.ended}).
 */
public final class CloseDueBreakoutsHandler implements Handler<Long> {

  private static final Logger LOG = LoggerFactory.getLogger(CloseDueBreakoutsHandler.class);

  private final BreakoutRepository breakouts;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final EventBus eventBus;
  private final int countdownSeconds;
  private boolean running;

  public CloseDueBreakoutsHandler(BreakoutRepository breakouts, PresenceStore presence, EventBus eventBus, int countdownSeconds) {
    this.breakouts = breakouts;
    this.presence = presence;
    this.eventBus = eventBus;
    this.events = new MeetingEvents(eventBus, presence);
    this.countdownSeconds = countdownSeconds;
  }

  @Override
  public void handle(Long timer) {
    if (running) {
      return;
    }
    running = true;
    breakouts.startDueCountdowns(countdownSeconds).onSuccess(this::announceCountdowns)
      .compose(v -> breakouts.endDue()).compose(this::closeRooms)
      .onFailure(err -> LOG.warn("Breakout rooms could not be swept: {}", err.getMessage()))
      .onComplete(ar -> running = false);
  }

  private void announceCountdowns(List<Closing> rooms) {
    Map<UUID, Closing> parents = new LinkedHashMap<>();
    for (Closing room : rooms) {
      JsonObject event = new JsonObject().put("meetingId", room.parentId().toString()).put("closesAt", room.closesAt())
        .put("seconds", countdownSeconds).put("by", null);
      BreakoutEvents.publish(eventBus, room.roomId(), "closing", event);
      parents.putIfAbsent(room.parentId(), room);
    }
    parents.values().forEach(room -> BreakoutEvents.publish(eventBus, room.parentId(), "closing",
      new JsonObject().put("meetingId", room.parentId().toString()).put("closesAt", room.closesAt())
        .put("seconds", countdownSeconds).put("by", null)));
  }

  private Future<Void> closeRooms(List<Closed> rooms) {
    Map<UUID, JsonArray> parents = new LinkedHashMap<>();
    List<Future<Void>> cleared = new java.util.ArrayList<>();
    for (Closed room : rooms) {
      BreakoutEvents.publish(eventBus, room.roomId(), "closed", new JsonObject().put("meetingId", room.parentId().toString())
        .put("roomId", room.roomId().toString()));
      // after the closed event, so that each page hears where it goes back to before it is taken out
      for (Moved person : room.people()) {
        events.revoke(room.tenant(), room.roomId(), person.userId(), "ended");
      }
      eventBus.send(Addresses.MEETING_ENDED, new JsonObject().put("tenant", room.tenant()).put("meetingId", room.roomId().toString()));
      cleared.add(presence.clear(room.tenant(), room.roomId()).otherwiseEmpty());
      parents.computeIfAbsent(room.parentId(), p -> new JsonArray()).add(room.roomId().toString());
    }
    parents.forEach((parent, ids) -> BreakoutEvents.publish(eventBus, parent, "closed",
      new JsonObject().put("meetingId", parent.toString()).put("rooms", ids)));
    return Future.join(cleared).mapEmpty();
  }
}

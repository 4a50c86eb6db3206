package handlers.meeting;

import data.PresenceStore;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.presence.connected} / {@code parley.presence.disconnected}: the gateway reports a
 * participant's bridge socket registering for a meeting, or closing. When the last of a user's
 * sockets closes, a {@code left} event follows after a grace period, unless they came back (a new
 * socket, or a heartbeat newer than the close).
 */
public final class TrackBridgeSocketsHandler {

  private static final Logger LOG = LoggerFactory.getLogger(TrackBridgeSocketsHandler.class);

  private final Vertx vertx;
  private final PresenceStore presence;
  private final MeetingEvents events;
  private final long graceMillis;

  public TrackBridgeSocketsHandler(Vertx vertx, PresenceStore presence, MeetingEvents events, long graceMillis) {
    this.vertx = vertx;
    this.presence = presence;
    this.events = events;
    this.graceMillis = graceMillis;
  }

  public RequestHandler connected() {
    return new RequestHandler() {
      @Override
      protected Future<JsonObject> handle(Identity caller, JsonObject body) {
        UUID id = Inputs.meetingId(body);
        return presence.socketOpened(caller.tenant(), id, caller.userId())
          .compose(n -> presence.touch(caller.tenant(), id, caller.userId(), caller.name()))
          .map(fresh -> {
            if (fresh) {
              events.joined(id, caller, body.getString("role", "participant"));
            }
            return new JsonObject();
          });
      }
    };
  }

  public RequestHandler disconnected() {
    return new RequestHandler() {
      @Override
      protected Future<JsonObject> handle(Identity caller, JsonObject body) {
        UUID id = Inputs.meetingId(body);
        long closedAt = System.currentTimeMillis();
        return presence.socketClosed(caller.tenant(), id, caller.userId()).map(remaining -> {
          if (remaining == 0) {
            vertx.setTimer(graceMillis, t -> afterGrace(caller, id, closedAt));
          }
          return new JsonObject();
        });
      }
    };
  }

  private void afterGrace(Identity who, UUID meetingId, long closedAt) {
    presence.lastSeen(who.tenant(), meetingId, who.userId())
      .compose(lastSeen -> presence.openSockets(who.tenant(), meetingId, who.userId())
        // back already (a new socket or a newer heartbeat), or gone already (left explicitly)
        .map(open -> open > 0 || lastSeen > closedAt || lastSeen == 0))
      .compose(nothingToDo -> {
        if (nothingToDo) {
          return Future.succeededFuture();
        }
        return presence.remove(who.tenant(), meetingId, who.userId())
          .map(v -> {
            events.left(meetingId, who.userId(), who.name(), "disconnected");
            return null;
          });
      })
      .onFailure(err -> LOG.warn("Presence grace check for meeting {} failed: {}", meetingId, err.getMessage()));
  }
}

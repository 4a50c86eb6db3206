package handlers.meeting;

import data.PresenceStore;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code meeting.media}: {@code {meetingId, audio, video}}: the sender's microphone and camera are
 * on or off. Kept with presence (later arrivals see it in {@code presence.ping}) and published as
 * {@code {type: media, userId, audio, video}} for the people list.
 */
public final class ReportMediaStateHandler extends RequestHandler {

  private final MeetingAccess access;
  private final PresenceStore presence;
  private final MeetingEvents events;

  public ReportMediaStateHandler(MeetingAccess access, PresenceStore presence, MeetingEvents events) {
    this.access = access;
    this.presence = presence;
    this.events = events;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    boolean audio = Inputs.requiredBoolean(body, "audio");
    boolean video = Inputs.requiredBoolean(body, "video");
    return access.requirePresent(caller, id)
      .compose(m -> presence.setMedia(caller.tenant(), id, caller.userId(), audio, video))
      .map(v -> {
        events.publish(id, "media", new JsonObject().put("userId", caller.userId()).put("audio", audio).put("video", video));
        return new JsonObject();
      });
  }
}

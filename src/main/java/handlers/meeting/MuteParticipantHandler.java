package handlers.meeting;

import common.Addresses;
import common.ParleyException;
import data.RoomRepository;
import handlers.Inputs;
import handlers.MeetingAccess;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.meeting.mute}: {@code {userId, audio, video}} (true mutes that kind; a host never
 * turns anyone's microphone or camera on), host or co-host, the person present. Everyone hears
 * {@code {type: mute, userId, audio, video, by}} (the person's page obeys it), and
 * {@code parley.media.mute} lets the SFU enforce it.
 */
public final class MuteParticipantHandler extends RequestHandler {

  private final MeetingAccess access;
  private final RoomRepository room;
  private final MeetingEvents events;
  private final EventBus eventBus;

  public MuteParticipantHandler(MeetingAccess access, RoomRepository room, MeetingEvents events, EventBus eventBus) {
    this.access = access;
    this.room = room;
    this.events = events;
    this.eventBus = eventBus;
  }

  /** {@code audio} and {@code video} of a mute request: each true, false or absent (false), at least one true. */
  static boolean[] kinds(JsonObject body) {
    Boolean audio = Inputs.optionalBoolean(body, "audio");
    Boolean video = Inputs.optionalBoolean(body, "video");
    if (!Boolean.TRUE.equals(audio) && !Boolean.TRUE.equals(video)) {
      throw ParleyException.badRequest("say what to mute: audio, video or both set to true");
    }
    return new boolean[]{Boolean.TRUE.equals(audio), Boolean.TRUE.equals(video)};
  }

  /** The event and the SFU's request for one person. */
  static void mute(MeetingEvents events, EventBus eventBus, Identity by, UUID meetingId, String userId, boolean audio, boolean video) {
    events.publish(meetingId, "mute", new JsonObject().put("userId", userId).put("audio", audio).put("video", video)
      .put("by", by.userId()));
    eventBus.send(Addresses.MEDIA_MUTE, new JsonObject().put("tenant", by.tenant()).put("meetingId", meetingId.toString())
      .put("userId", userId).put("audio", audio).put("video", video));
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID id = Inputs.meetingId(body);
    String userId = Inputs.personId(body, "userId");
    boolean[] kinds = kinds(body);
    return access.requireRunningRoom(caller, id)
      .compose(m -> room.mute(caller, id, userId, kinds[0], kinds[1]))
      .map(person -> {
        mute(events, eventBus, caller, id, userId, kinds[0], kinds[1]);
        return new JsonObject().put("userId", userId).put("audio", kinds[0]).put("video", kinds[1]);
      });
  }
}

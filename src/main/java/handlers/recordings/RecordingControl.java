package handlers.recordings;

import common.Addresses;
import common.ParleyException;
import data.ServerRecordingRepository;
import data.ServerRecordingRepository.ServerRecording;
import handlers.Inputs;
import handlers.MeetingAccess;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.time.Instant;
import java.util.UUID;

/** What the start, stop and retry routes share: who may, the media service, the meeting's event. */
final class RecordingControl {

  final MeetingAccess access;
  final ServerRecordingRepository recordings;
  final EventBus eventBus;
  final long mediaTimeoutMs;

  RecordingControl(MeetingAccess access, ServerRecordingRepository recordings, EventBus eventBus, long mediaTimeoutMs) {
    this.access = access;
    this.recordings = recordings;
    this.eventBus = eventBus;
    this.mediaTimeoutMs = mediaTimeoutMs;
  }

  /** The recording of {@code body.recordingId}, for the host or a co-host of its meeting (404 for anyone else's tenant). */
  Future<ServerRecording> requireRunsRecording(Identity caller, JsonObject body) {
    UUID id = Inputs.id(body, "recordingId", "recording not found");
    return recordings.find(caller.tenant(), id).compose(found -> found
      .map(rec -> access.requireHostOrCohost(caller, rec.meetingId()).map(m -> rec))
      .orElseGet(() -> Future.failedFuture(ParleyException.notFound("recording not found"))));
  }

  /** Asks the media service to have Janus record the meeting's publishers into {@code dir}, or stop. */
  Future<JsonObject> media(String tenant, UUID meetingId, UUID recordingId, String dir, boolean on) {
    JsonObject request = new JsonObject().put("tenant", tenant).put("meetingId", meetingId.toString())
      .put("recordingId", recordingId.toString()).put("dir", dir).put("on", on);
    return eventBus.<JsonObject>request(Addresses.MEDIA_RECORD, request, new DeliveryOptions().setSendTimeout(mediaTimeoutMs))
      .map(Message::body)
      .recover(err -> Future.failedFuture(err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() >= 400 ? new ParleyException(re.failureCode(), ParleyException.codeFor(re.failureCode()), re.getMessage())
        : ParleyException.unavailable("the media service did not answer; try again")));
  }

  /** {@code {type: recording, status, recordingId, by?}} on {@code meeting.{id}}. */
  void announce(UUID meetingId, ServerRecording rec, Identity by) {
    JsonObject event = new JsonObject().put("type", "recording").put("status", rec.status()).put("recordingId", rec.id().toString())
      .put("source", "server").put("ts", Instant.now().toString());
    if (by != null) {
      event.put("by", by.userId()).put("byName", by.name());
    }
    eventBus.publish(Addresses.meeting(meetingId), event);
  }
}

package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.NewObject;
import data.blob.BlobKey;
import data.blob.ContentSniffer;
import handlers.AuditLog;
import handlers.Inputs;
import io.vertx.core.eventbus.EventBus;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.util.UUID;

/**
 * {@code parley.recording.start} ({@code POST /api/v1/meetings/{id}/recordings/chunked}): announces a
 * recording that will arrive in chunks while the meeting runs. The row is {@code uploading} and not
 * listed until the recording is completed (by its maker, or by the server when the meeting ends).
 */
public final class StartRecordingHandler extends RequestHandler {

  private final ObjectAccess access;

  private final EventBus eventBus;

  public StartRecordingHandler(ObjectAccess access, EventBus eventBus) {
    this.access = access;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String type = Inputs.optionalString(body, "contentType", 200);
    if (type == null) {
      throw ParleyException.badRequest("contentType is required: video/webm or video/mp4");
    }
    if (!ContentSniffer.allowedRecording(type)) {
      throw ParleyException.unsupportedType("recordings must be video/webm or video/mp4");
    }
    String base = type.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
    String fallback = "recording" + (base.equals(ContentSniffer.MP4) ? ".mp4" : ".webm");
    String name = ObjectAccess.displayName(Inputs.optionalString(body, "name", 1000), fallback);
    return access.meetings().requirePresent(caller, meetingId).compose(m -> {
      BlobKey key = BlobKey.generate(caller.tenant(), meetingId.toString(), BlobKey.Kind.RECORDINGS);
      return access.objects().insert(new NewObject(UUID.fromString(key.id()), caller.tenant(), meetingId, "recording",
        key.path(), name, base, 0, null, caller.userId(), caller.name(), false));
    }).map(o -> {
      AuditLog.append(eventBus, caller, meetingId, "recording_start", new JsonObject().put("recordingId", o.id().toString()));
      return o.toJson();
    });
  }
}

package handlers.recordings;

import common.Addresses;
import common.ParleyException;
import handlers.AuditLog;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import security.Identity;

/**
 * {@code parley.recording.server.retry} ({@code POST /api/v1/recordings/{rid}/retry}): a recording
 * whose processing failed is processed again from Janus's files (kept until it is ready). Host or
 * co-host; 409 unless it failed.
 */
public final class RetryServerRecordingHandler extends RequestHandler {

  private final RecordingControl control;

  public RetryServerRecordingHandler(handlers.MeetingAccess access, data.ServerRecordingRepository recordings,
                                     io.vertx.core.eventbus.EventBus eventBus) {
    this.control = new RecordingControl(access, recordings, eventBus, 0);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    return control.requireRunsRecording(caller, body).compose(rec -> {
      if (!"failed".equals(rec.status())) {
        return Future.failedFuture(ParleyException.conflict("only a failed recording can be retried (this one is " + rec.status() + ")"));
      }
      return control.recordings.retry(rec.tenant(), rec.id())
        .compose(again -> again.map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ParleyException.conflict("this recording is being retried already"))))
        .map(again -> {
          control.announce(again.meetingId(), again, caller);
          AuditLog.append(control.eventBus, caller, again.meetingId(), "recording_retry",
            new JsonObject().put("recordingId", again.id().toString()).put("source", "server"));
          control.eventBus.publish(Addresses.SERVER_RECORDING_JOBS, new JsonObject().put("recordingId", again.id().toString()));
          return again.toJson();
        });
    });
  }
}

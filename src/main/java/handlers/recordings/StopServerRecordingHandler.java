package handlers.recordings;

import common.Addresses;
import common.ParleyException;
import handlers.AuditLog;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

/**
 * {@code parley.recording.server.stop} ({@code POST /api/v1/recordings/{rid}/stop}): the host or a
 * co-host stops a server recording. Janus closes its files first, then the row becomes
 * {@code processing} (the job every node's worker may claim) and everyone hears it. 409 when it is
 * not recording (stopped already, or failed).
 */
public final class StopServerRecordingHandler extends RequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StopServerRecordingHandler.class);

  private final RecordingControl control;

  public StopServerRecordingHandler(handlers.MeetingAccess access, data.ServerRecordingRepository recordings,
                                    io.vertx.core.eventbus.EventBus eventBus, long mediaTimeoutMs) {
    this.control = new RecordingControl(access, recordings, eventBus, mediaTimeoutMs);
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    return control.requireRunsRecording(caller, body).compose(rec -> {
      if (!"recording".equals(rec.status())) {
        return Future.failedFuture(ParleyException.conflict("this recording is not running (it is " + rec.status() + ")"));
      }
      return control.media(rec.tenant(), rec.meetingId(), rec.id(), rec.sourceDir(), false)
        .otherwise(err -> {
          // Janus may be gone (its files are closed then): the recording is processed with what was written
          LOG.warn("The media server did not confirm the end of recording {}: {}", rec.id(), err.getMessage());
          return null;
        })
        .compose(v -> control.recordings.stop(rec.tenant(), rec.id()))
        .compose(stopped -> stopped.map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ParleyException.conflict("this recording was stopped already"))))
        .map(stopped -> {
          control.announce(stopped.meetingId(), stopped, caller);
          AuditLog.append(control.eventBus, caller, stopped.meetingId(), "recording_stop",
            new JsonObject().put("recordingId", stopped.id().toString()).put("source", "server"));
          control.eventBus.publish(Addresses.SERVER_RECORDING_JOBS, new JsonObject().put("recordingId", stopped.id().toString()));
          return stopped.toJson();
        });
    });
  }
}

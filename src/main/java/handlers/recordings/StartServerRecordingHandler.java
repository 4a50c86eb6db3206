package handlers.recordings;

import common.ParleyException;
import handlers.AuditLog;
import handlers.Inputs;
import handlers.RequestHandler;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import media.MediaPlane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

/**
 * {@code parley.recording.server.start} ({@code POST /api/v1/meetings/{id}/recordings/start}): the
 * host or a co-host has the server record the meeting through the SFU. Janus records every
 * publisher (and whoever publishes later) into a folder of its own under the data folder; the row
 * is {@code recording} and everyone in the meeting hears {@code {type: recording, status: recording}}.
 * 409 on the browser mesh or when the meeting is being recorded already; 503 when janus-pp-rec or
 * ffmpeg is missing (nothing could make the file) or the media server did not start recording (the
 * row is taken back).
 */
public final class StartServerRecordingHandler extends RequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StartServerRecordingHandler.class);
  static final Set<String> FORMATS = Set.of("mp4", "webm", "audio");

  private final RecordingControl control;
  private final MediaPlane plane;
  private final RecordingTools tools;
  private final FileSystem fs;
  private final Path sourcesRoot;
  private final String defaultFormat;

  public StartServerRecordingHandler(handlers.MeetingAccess access, data.ServerRecordingRepository recordings,
                                     io.vertx.core.Vertx vertx, MediaPlane plane, RecordingTools tools, Path sourcesRoot,
                                     String defaultFormat, long mediaTimeoutMs) {
    this.control = new RecordingControl(access, recordings, vertx.eventBus(), mediaTimeoutMs);
    this.plane = plane;
    this.tools = tools;
    this.fs = vertx.fileSystem();
    this.sourcesRoot = sourcesRoot;
    this.defaultFormat = defaultFormat;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    UUID meetingId = Inputs.meetingId(body);
    String given = Inputs.optionalString(body, "format", 10);
    String format = given == null ? defaultFormat : given;
    if (!FORMATS.contains(format)) {
      throw ParleyException.badRequest("format must be mp4, webm or audio");
    }
    return control.access.requireRunningRoom(caller, meetingId).compose(m -> {
      if (!plane.sfu()) {
        return Future.failedFuture(ParleyException.conflict("this meeting's media goes browser to browser (the mesh): "
          + "server recording needs the SFU (Janus)" + (plane.reason() == null ? "" : "; " + plane.reason())));
      }
      if (tools.missing() != null) {
        return Future.failedFuture(ParleyException.unavailable(tools.missing()));
      }
      UUID id = UUID.randomUUID();
      String dir = sourcesRoot.resolve(id.toString()).toString();
      return control.recordings.active(caller.tenant(), meetingId).compose(active -> active.isPresent()
          ? Future.failedFuture(ParleyException.conflict("this meeting is being recorded already"))
          : fs.mkdirs(dir).recover(err -> Future.failedFuture(ParleyException.unavailable("cannot create " + dir + ": " + err.getMessage()))))
        .compose(v -> control.recordings.insert(id, caller.tenant(), meetingId, format, dir, caller.userId(), caller.name()))
        .compose(rec -> control.media(caller.tenant(), meetingId, id, dir, true)
          .map(started -> rec)
          .recover(err -> {
            LOG.warn("The media server did not start recording meeting {}: {}", meetingId, err.getMessage());
            return control.recordings.delete(caller.tenant(), id).otherwiseEmpty()
              .compose(x -> fs.deleteRecursive(dir).otherwiseEmpty())
              .compose(x -> Future.failedFuture(err));
          }))
        .map(rec -> {
          control.announce(meetingId, rec, caller);
          AuditLog.append(control.eventBus, caller, meetingId, "recording_start",
            new JsonObject().put("recordingId", id.toString()).put("source", "server").put("format", format));
          return rec.toJson();
        });
    });
  }
}

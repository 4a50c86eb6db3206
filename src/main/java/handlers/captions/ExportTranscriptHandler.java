package handlers.captions;

import data.TranscriptRepository;
import handlers.storage.MeetingEnded;
import handlers.storage.ExportAtMeetingEnd;
import handlers.storage.MeetingExports;
import handlers.Webhooks;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code parley.meeting.ended}: the meeting's transcript (JSON and WebVTT, whatever segments exist
 * by then) is written to the blob store and listed with the meeting's files ({@code kind:
 * transcript}). Failures are logged; the transcript stays readable from the database either way.
 */
public final class ExportTranscriptHandler extends ExportAtMeetingEnd {

  private final TranscriptRepository transcripts;
  private final EventBus eventBus;

  /** @param eventBus for the tenant's {@code transcript.ready} webhook */
  public ExportTranscriptHandler(MeetingExports exports, TranscriptRepository transcripts, EventBus eventBus) {
    super(exports, "transcript");
    this.transcripts = transcripts;
    this.eventBus = eventBus;
  }

  @Override
  protected void exported(MeetingEnded ended, int segments) {
    Webhooks.emit(eventBus, ended.tenant(), "transcript.ready", new JsonObject()
      .put("meetingId", ended.meetingId().toString()).put("segments", segments));
  }

  /** Writes transcript.json and transcript.vtt; the number of segments, 0 when there were none. */
  @Override
  protected Future<Integer> export(String tenant, UUID meetingId) {
    return transcripts.segments(tenant, meetingId).compose(segments -> {
      if (segments.isEmpty()) {
        return Future.succeededFuture(0);
      }
      JsonObject json = new JsonObject().put("meetingId", meetingId.toString())
        .put("exportedAt", Instant.now().toString()).put("segments", segments);
      return Future.all(
          exports.put(tenant, meetingId, "transcript.json", "application/json", Buffer.buffer(json.encodePrettily())),
          exports.put(tenant, meetingId, "transcript.vtt", "text/vtt", Buffer.buffer(TranscriptFormats.vtt(segments, null))))
        .map(v -> segments.size());
    });
  }



}

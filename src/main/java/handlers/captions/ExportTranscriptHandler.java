package handlers.captions;

import data.StoredObjectRepository.NewObject;
import data.StoredObjectRepository.StoredObject;
import data.TranscriptRepository;
import data.blob.BlobKey;
import data.blob.BlobStore;
import data.blob.BufferStream;
import handlers.storage.MeetingEnded;
import handlers.storage.ObjectAccess;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code parley.meeting.ended}: the meeting's transcript (JSON and WebVTT, whatever segments exist
 * by then) is written to the blob store and listed with the meeting's files ({@code kind:
 * transcript}). Failures are logged; the transcript stays readable from the database either way.
 */
public final class ExportTranscriptHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(ExportTranscriptHandler.class);

  private final Vertx vertx;
  private final ObjectAccess access;
  private final TranscriptRepository transcripts;
  private final BlobStore store;

  public ExportTranscriptHandler(Vertx vertx, ObjectAccess access, TranscriptRepository transcripts, BlobStore store) {
    this.vertx = vertx;
    this.access = access;
    this.transcripts = transcripts;
    this.store = store;
  }

  @Override
  public void handle(Message<Object> message) {
    MeetingEnded.of(message, LOG).ifPresent(ended -> export(ended.tenant(), ended.meetingId())
      .onSuccess(n -> {
        if (n > 0) {
          LOG.info("Meeting {}: transcript exported ({} segments)", ended.meetingId(), n);
        }
      })
      .onFailure(err -> LOG.warn("Meeting {}: transcript export failed: {}", ended.meetingId(), MeetingEnded.why(err))));
  }

  /** Writes transcript.json and transcript.vtt; the number of segments, 0 when there were none. */
  Future<Integer> export(String tenant, UUID meetingId) {
    return transcripts.segments(tenant, meetingId).compose(segments -> {
      if (segments.isEmpty()) {
        return Future.succeededFuture(0);
      }
      JsonObject json = new JsonObject().put("meetingId", meetingId.toString())
        .put("exportedAt", Instant.now().toString()).put("segments", segments);
      return Future.all(
          put(tenant, meetingId, "transcript.json", "application/json", Buffer.buffer(json.encodePrettily())),
          put(tenant, meetingId, "transcript.vtt", "text/vtt", Buffer.buffer(TranscriptFormats.vtt(segments, null))))
        .map(v -> segments.size());
    });
  }

  private Future<StoredObject> put(String tenant, UUID meetingId, String name, String type, Buffer content) {
    BlobKey key = BlobKey.generate(tenant, meetingId.toString(), BlobKey.Kind.TRANSCRIPTS);
    return store.put(key, new BufferStream(vertx.getOrCreateContext(), content), type, Math.max(1, content.length()))
      .compose(info -> access.objects().insert(new NewObject(UUID.fromString(key.id()), tenant, meetingId, "transcript",
          key.path(), name, type, info.size(), info.sha256(), "parley", "Parley", true))
        .recover(err -> store.delete(key).transform(v -> Future.<StoredObject>failedFuture(err))));
  }
}

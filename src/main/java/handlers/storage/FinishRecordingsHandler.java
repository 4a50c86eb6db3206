package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.StoredObject;
import data.blob.BlobKey;
import data.blob.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code parley.meeting.ended}: recordings still arriving in chunks are completed with what was
 * uploaded (a browser that crashed mid-recording loses nothing it had sent); those that never
 * received a byte are dropped. Failures are logged.
 */
public final class FinishRecordingsHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(FinishRecordingsHandler.class);

  private final ObjectAccess access;
  private final BlobStore store;

  private final io.vertx.core.eventbus.EventBus eventBus;

  public FinishRecordingsHandler(ObjectAccess access, BlobStore store, io.vertx.core.eventbus.EventBus eventBus) {
    this.access = access;
    this.store = store;
    this.eventBus = eventBus;
  }

  @Override
  public void handle(Message<Object> message) {
    MeetingEnded.of(message, LOG).ifPresent(ended -> finish(ended.tenant(), ended.meetingId())
      .onFailure(err -> LOG.warn("Meeting {}: finishing recordings failed: {}", ended.meetingId(), MeetingEnded.why(err))));
  }

  /** Completes recordings still being uploaded; drops those that never received a byte. */
  Future<Void> finish(String tenant, UUID meetingId) {
    return access.objects().uploading(tenant, meetingId).compose(list -> {
      List<Future<?>> done = new ArrayList<>();
      for (StoredObject rec : list) {
        done.add(CompleteRecordingHandler.complete(store, access, rec)
          .onSuccess(complete -> CompleteRecordingHandler.recordingReady(eventBus, complete)).recover(err -> {
          if (err instanceof ParleyException pe && pe.status() == 409) {
            return store.delete(BlobKey.parse(rec.blobKey()))
              .compose(v -> access.objects().delete(tenant, rec.id())).map(v -> rec);
          }
          return Future.failedFuture(err);
        }));
      }
      return Future.all(done).mapEmpty();
    });
  }
}

package handlers.storage;

import data.StoredObjectRepository.NewObject;
import data.StoredObjectRepository.StoredObject;
import data.blob.BlobKey;
import data.blob.BlobStore;
import data.blob.BufferStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.UUID;

/**
 * Files Parley writes for a meeting when it ends (transcript.json, transcript.vtt, recap.md as {@code
 * kind: transcript}; polls.json, whiteboard.svg and .png as {@code polls} and {@code whiteboard}): put
 * in the blob store and listed with the meeting's files, made by "Parley".
 * A row that cannot be written takes its blob with it.
 */
public final class MeetingExports {

  private final Vertx vertx;
  private final ObjectAccess access;
  private final BlobStore store;

  public MeetingExports(Vertx vertx, ObjectAccess access, BlobStore store) {
    this.vertx = vertx;
    this.access = access;
    this.store = store;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Future<StoredObject> put(String tenant, UUID meetingId, String name, String type, Buffer content) {
    return put(tenant, meetingId, "transcript", name, type, content);
  }

  /** As {@link #put(String, UUID, String, String, Buffer)}, listed as {@code kind} (transcript, polls, whiteboard). */
  public Future<StoredObject> put(String tenant, UUID meetingId, String kind, String name, String type, Buffer content) {
    BlobKey key = BlobKey.generate(tenant, meetingId.toString(), ObjectAccess.blobKind(kind));
    return store.put(key, new BufferStream(vertx.getOrCreateContext(), content), type, Math.max(1, content.length()))
      .compose(info -> access.objects().insert(new NewObject(UUID.fromString(key.id()), tenant, meetingId, kind,
          key.path(), name, type, info.size(), info.sha256(), "parley", "Parley", true))
        .recover(err -> store.delete(key).transform(v -> Future.<StoredObject>failedFuture(err))));
  }
}

package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.StoredObject;
import data.blob.BlobKey;
import data.blob.BlobStore;
import handlers.AuditLog;
import handlers.RequestHandler;
import handlers.Webhooks;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import security.Identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * {@code parley.recording.complete} ({@code POST /api/v1/recordings/{rid}/complete}): the recording's
 * maker (or the meeting's host) says it is finished; its size is taken from the store and it is
 * listed from now on. Completing a complete recording answers it again (a retried request is safe);
 * one with no chunk at all is refused (409), since there is nothing to keep.
 */
public final class CompleteRecordingHandler extends RequestHandler {

  private final ObjectAccess access;
  private final BlobStore store;

  private final EventBus eventBus;

  public CompleteRecordingHandler(ObjectAccess access, BlobStore store, EventBus eventBus) {
    this.access = access;
    this.store = store;
    this.eventBus = eventBus;
  }

  @Override
  protected Future<JsonObject> handle(Identity caller, JsonObject body) {
    Object raw = body.getValue("recordingId");
    UUID id = ObjectAccess.id(raw instanceof String s ? s : null, ObjectAccess.RECORDINGS);
    return access.requireReadable(caller, id, ObjectAccess.RECORDINGS).compose(rec -> {
      if (rec.complete()) {
        return Future.succeededFuture(rec);
      }
      return access.meetings().requireMember(caller, rec.meetingId()).compose(m -> {
        if (!caller.userId().equals(rec.uploadedBy()) && !"host".equals(m.role())) {
          return Future.failedFuture(ParleyException.forbidden("only the person making this recording or the host can complete it"));
        }
        return complete(store, access, rec).onSuccess(done -> {
          AuditLog.append(eventBus, caller, rec.meetingId(), "recording_stop", new JsonObject().put("recordingId", id.toString()));
          recordingReady(eventBus, done);
        });
      });
    }).map(StoredObject::toJson);
  }

  /**
   * The SHA-256 of a recording assembled from chunks (the store hashes chunks one by one), read
   * back once as a stream; a piece at a time, so the event loop is never held for long.
   */
  static Future<String> sha256(BlobStore store, StoredObject rec) {
    return store.read(BlobKey.parse(rec.blobKey()), 0, -1).compose(read -> {
      MessageDigest md;
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        return Future.failedFuture(e);
      }
      Promise<String> done = Promise.promise();
      read.stream().exceptionHandler(err -> {
        read.close();
        done.tryFail(err);
      });
      read.stream().endHandler(v -> done.tryComplete(HexFormat.of().formatHex(md.digest())));
      read.stream().handler(buf -> md.update(buf.getBytes()));
      read.stream().resume();
      return done.future();
    });
  }

  /** Completes an uploading recording with the size the store has; 409 when nothing was uploaded. */
  /** Tells the tenant's webhooks that a recording is complete (recording.ready). */
  static void recordingReady(EventBus eventBus, StoredObject rec) {
    Webhooks.emit(eventBus, rec.tenant(), "recording.ready", new JsonObject().put("meetingId", rec.meetingId().toString())
      .put("recordingId", rec.id().toString()).put("name", rec.name()).put("contentType", rec.contentType())
      .put("size", rec.size()));
  }

  static Future<StoredObject> complete(BlobStore store, ObjectAccess access, StoredObject rec) {
    return store.stat(BlobKey.parse(rec.blobKey()))
      .recover(err -> Future.failedFuture(err instanceof ParleyException pe && pe.status() == 404
        ? ParleyException.conflict("nothing has been recorded yet: upload a chunk first") : err))
      .compose(info -> (info.sha256() != null ? Future.succeededFuture(info.sha256()) : sha256(store, rec))
        .compose(sha -> access.objects().complete(rec.tenant(), rec.id(), info.size(), sha)))
      .compose(done -> done.map(Future::succeededFuture)
        .orElseGet(() -> access.objects().find(rec.tenant(), rec.id()).compose(again -> again
          .<Future<StoredObject>>map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ParleyException.notFound("recording not found"))))));
  }
}

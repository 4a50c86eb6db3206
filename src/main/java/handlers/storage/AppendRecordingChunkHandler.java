package handlers.storage;

import common.ParleyException;
import data.RedisLock;
import data.StoredObjectRepository.StoredObject;
import data.blob.BlobKey;
import data.blob.BlobStore;
import data.blob.ContentSniffer;
import data.blob.HeadPeek;
import handlers.AuthenticateHandler;
import handlers.tenant.TenantPolicies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import security.Identity;

import java.util.UUID;

/**
 * {@code PUT /api/v1/recordings/{rid}/content?offset=N}: appends one chunk of a recording that is
 * being made (a browser's MediaRecorder hands over a piece every few seconds). {@code offset} must
 * be the recording's current size, so a chunk sent twice or out of order is refused with 409 and the
 * expected offset, and the client can resume. Only the person who started the recording may add to
 * it; the first chunk must be WebM or MP4 by its bytes; each chunk and the whole recording are
 * limited in size. A failed chunk leaves the recording as it was.
 */
public final class AppendRecordingChunkHandler implements Handler<RoutingContext> {

  /** How long one chunk may take before its cluster-wide lock lapses. */
  private static final long APPEND_LOCK_MS = 10 * 60_000L;

  private final Vertx vertx;
  private final ObjectAccess access;
  private final BlobStore store;
  private final TenantPolicies policies;
  private final long maxChunkBytes;
  private final RedisLock lock;

  public AppendRecordingChunkHandler(Vertx vertx, ObjectAccess access, BlobStore store, TenantPolicies policies,
                                     long maxChunkBytes, RedisLock lock) {
    this.lock = lock;
    this.vertx = vertx;
    this.access = access;
    this.store = store;
    this.policies = policies;
    this.maxChunkBytes = maxChunkBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    Identity caller = AuthenticateHandler.identity(ctx);
    UUID id;
    long offset;
    long declared;
    try {
      id = ObjectAccess.id(ctx.pathParam("recordingId"), ObjectAccess.RECORDINGS);
      offset = offset(req.getParam("offset"));
      declared = Uploads.declaredLength(req);
    } catch (ParleyException e) {
      Uploads.refuse(ctx, e);
      return;
    }
    if (declared > maxChunkBytes) {
      Uploads.refuse(ctx, ParleyException.tooLarge("a chunk may have at most " + Uploads.human(maxChunkBytes)));
      return;
    }
    if (declared == 0) {
      Uploads.refuse(ctx, ParleyException.badRequest("the chunk is empty"));
      return;
    }
    access.requireReadable(caller, id, ObjectAccess.RECORDINGS)
      .compose(rec -> {
        if (!caller.userId().equals(rec.uploadedBy())) {
          return Future.failedFuture(ParleyException.forbidden("only the person making this recording can add to it"));
        }
        if (rec.complete()) {
          return Future.failedFuture(ParleyException.conflict("this recording is complete; start a new one"));
        }
        // One chunk of a recording at a time across all nodes (the store checks the offset, but only
        // within one node); the lock expires by itself if this node dies mid-chunk.
        String key = "parley:append:" + rec.id();
        return lock.acquire(key, APPEND_LOCK_MS).compose(token -> {
          if (token.isEmpty()) {
            return Future.failedFuture(ParleyException.conflict(
              "another chunk of this recording is being uploaded; send the next one when it is done"));
          }
          return policies.config(caller.tenant())
            .compose(config -> append(req, rec, offset, Uploads.limit(config, "recording")))
            .andThen(ar -> lock.release(key, token.get()));
        });
      })
      .onSuccess(o -> ctx.response().putHeader("Content-Type", "application/json").end(o.toJson().encode()))
      .onFailure(err -> Uploads.refuse(ctx, err));
  }

  private Future<StoredObject> append(HttpServerRequest req, StoredObject rec, long offset, long maxTotal) {
    if (offset >= maxTotal) {
      return Future.failedFuture(Uploads.tooLarge("recording", maxTotal));
    }
    Uploads.continueIfExpected(req);
    BlobKey key = BlobKey.parse(rec.blobKey());
    return HeadPeek.peek(vertx, req, ContentSniffer.HEAD_BYTES).compose(peeked -> {
      if (peeked.head().length() == 0) {
        return Future.failedFuture(ParleyException.badRequest("the chunk is empty"));
      }
      if (offset == 0 && rec.size() == 0) {
        // The first chunk carries the container's header: it must be a recording by its bytes.
        ContentSniffer.checkRecording(rec.contentType(), peeked.head());
      }
      // One limit does for both: the chunk may not take the recording past the tenant's limit, nor
      // be longer than a chunk may be.
      boolean chunkBound = offset + maxChunkBytes < maxTotal;
      return store.append(key, offset, peeked.body(), rec.contentType(), chunkBound ? offset + maxChunkBytes : maxTotal)
        .recover(err -> Future.failedFuture(err instanceof ParleyException pe && pe.status() == 413
          ? (chunkBound ? ParleyException.tooLarge("a chunk may have at most " + Uploads.human(maxChunkBytes))
            : Uploads.tooLarge("recording", maxTotal)) : err));
    }).compose(info -> access.objects().grow(rec.tenant(), rec.id(), info.size()))
      .compose(updated -> updated.<Future<StoredObject>>map(Future::succeededFuture).orElseGet(() ->
        Future.failedFuture(ParleyException.conflict("this recording was completed meanwhile"))));
  }

  private static long offset(String raw) {
    if (raw == null) {
      throw ParleyException.badRequest("offset is required: the number of bytes already uploaded");
    }
    try {
      long n = Long.parseLong(raw);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ParleyException.badRequest("offset must be a whole number of bytes, not '"
        + (raw.length() > 30 ? raw.substring(0, 30) + "..." : raw) + "'");
    }
  }
}

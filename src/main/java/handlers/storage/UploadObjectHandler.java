package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.NewObject;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import security.Identity;

import java.util.UUID;

/**
 * {@code POST /api/v1/meetings/{id}/recordings} and {@code POST .../files}: streams the request body
 * into the blob store (never held whole in memory), after checking that the caller is a participant,
 * that the declared size is within the tenant's limit, and that the first bytes are of an allowed
 * type (not only the {@code Content-Type} header). The row with size and SHA-256 is written only
 * once the bytes are stored; if that write fails the blob is deleted again, so a failed upload
 * leaves neither a listed object nor an orphan blob.
 */
public final class UploadObjectHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(UploadObjectHandler.class);

  private final Vertx vertx;
  private final String kind;
  private final ObjectAccess access;
  private final BlobStore store;
  private final TenantPolicies policies;

  /** @param kind {@code recording} or {@code file} */
  public UploadObjectHandler(Vertx vertx, String kind, ObjectAccess access, BlobStore store, TenantPolicies policies) {
    this.vertx = vertx;
    this.kind = kind;
    this.access = access;
    this.store = store;
    this.policies = policies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    Identity caller = AuthenticateHandler.identity(ctx);
    UUID meetingId;
    long declared;
    try {
      meetingId = ObjectAccess.meetingId(ctx.pathParam("meetingId"));
      declared = Uploads.declaredLength(req);
    } catch (ParleyException e) {
      Uploads.refuse(ctx, e);
      return;
    }
    String declaredType = req.getHeader("Content-Type");
    String name = ObjectAccess.displayName(req.getHeader("X-File-Name"),
      "recording".equals(kind) ? "recording" : "file");
    access.meetings().requireMember(caller, meetingId)
      .compose(m -> policies.config(caller.tenant()))
      .compose(config -> {
        long limit = Uploads.limit(config, kind);
        if (declared > limit) {
          return Future.failedFuture(Uploads.tooLarge(kind, limit));
        }
        if (declared == 0) {
          return Future.failedFuture(ParleyException.badRequest("the upload is empty"));
        }
        Uploads.continueIfExpected(req);
        return HeadPeek.peek(vertx, req, ContentSniffer.HEAD_BYTES).compose(peeked -> {
          if (peeked.head().length() == 0) {
            return Future.failedFuture(ParleyException.badRequest("the upload is empty"));
          }
          String type = "recording".equals(kind)
            ? ContentSniffer.checkRecording(declaredType, peeked.head())
            : ContentSniffer.checkSharedFile(declaredType, peeked.head());
          BlobKey key = BlobKey.generate(caller.tenant(), meetingId.toString(), ObjectAccess.blobKind(kind));
          return store.put(key, peeked.body(), type, limit)
            .recover(err -> Future.failedFuture(err instanceof ParleyException pe && pe.status() == 413
              ? Uploads.tooLarge(kind, limit) : err))
            .compose(info -> access.objects().insert(new NewObject(UUID.fromString(key.id()), caller.tenant(), meetingId,
                kind, key.path(), withExtension(name, type), type, info.size(), info.sha256(), caller.userId(),
                caller.name(), true))
              .recover(err -> {
                LOG.warn("Upload {} stored but not recorded ({}{}); deleting the blob", key, err.getMessage(),
                  err.getCause() == null ? "" : ": " + err.getCause().getMessage());
                return store.delete(key).transform(v -> Future.<StoredObject>failedFuture(err));
              }));
        });
      })
      .onSuccess(o -> {
        ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
          .putHeader("Location", ("recording".equals(kind) ? "/api/v1/recordings/" : "/api/v1/files/") + o.id())
          .end(o.toJson().encode());
        if ("recording".equals(kind)) {
          CompleteRecordingHandler.recordingReady(vertx.eventBus(), o);
        }
      })
      .onFailure(err -> Uploads.refuse(ctx, err));
  }

  /** A recording without a name gets one that says what it is; other names are kept as given. */
  private String withExtension(String name, String type) {
    if (!"recording".equals(kind) || !"recording".equals(name)) {
      return name;
    }
    return name + (ContentSniffer.MP4.equals(type) ? ".mp4" : ".webm");
  }
}

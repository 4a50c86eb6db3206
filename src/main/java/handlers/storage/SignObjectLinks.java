package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.StoredObject;
import data.StoredObjectRepository;
import data.blob.BlobKey;
import data.blob.BlobStore;
import data.blob.UrlSigner;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Short-lived download links that need no bearer token (for {@code <video src>} and plain links).
 * On Azure the link is a read-only SAS URL with an expiry; on the filesystem store it is this
 * server's route {@code /api/v1/blobs/{tenant}/{id}?exp=&sig=}, signed with HMAC-SHA256 over the
 * path and expiry. A link edited to point elsewhere, or used after its expiry, answers 403.
 */
public final class SignObjectLinks {

  /** Where the signed route is served. */
  public static final String ROUTE = "/api/v1/blobs/:tenant/:objectId";

  private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private final BlobStore store;
  private final StoredObjectRepository objects;
  private final UrlSigner signer;
  private final Duration ttl;

  public SignObjectLinks(BlobStore store, StoredObjectRepository objects, UrlSigner signer, Duration ttl) {
    this.store = store;
    this.objects = objects;
    this.signer = signer;
    this.ttl = ttl;
  }

  /** {@code {url, expiresAt}} for an object the caller may read (checked by the caller of this). */
  public Future<JsonObject> link(StoredObject o) {
    if (!o.complete()) {
      return Future.failedFuture(ParleyException.conflict("this recording is still being uploaded"));
    }
    Instant expires = Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
    return store.signedUrl(BlobKey.parse(o.blobKey()), ttl)
      .recover(err -> {
        if (err instanceof ParleyException pe && pe.status() == 409) {
          return objects.rehydrateRequested(o.tenant(), o.id()).transform(v -> Future.failedFuture(
            ParleyException.conflict("this object is archived; it is being restored, try again in a few hours")));
        }
        return Future.failedFuture(err);
      })
      .map(url -> {
        String href = url.map(Object::toString).orElseGet(() -> {
          String path = "/api/v1/blobs/" + o.tenant() + "/" + o.id();
          return path + "?" + signer.sign(path, expires);
        });
        return new JsonObject().put("url", href).put("expiresAt", expires.toString());
      });
  }

  /** Serves {@link #ROUTE}: no bearer token; the signature is the permission. */
  public Handler<RoutingContext> serveRoute() {
    return ctx -> {
      String tenant = ctx.pathParam("tenant");
      String rawId = ctx.pathParam("objectId");
      String exp = ctx.request().getParam("exp");
      String sig = ctx.request().getParam("sig");
      long expiry;
      try {
        expiry = exp == null ? -1 : Long.parseLong(exp);
      } catch (NumberFormatException e) {
        expiry = -1;
      }
      // The path as the client sent it (not decoded): "%2e%2e" and friends never verify.
      String path = ctx.request().path();
      if (expiry < 0 || sig == null || !TENANT.matcher(tenant == null ? "" : tenant).matches()
        || !signer.verify(path, expiry, sig, Instant.now())) {
        ctx.fail(ParleyException.forbidden("this link is invalid or has expired; ask for a new one"));
        return;
      }
      UUID id;
      try {
        id = ObjectAccess.id(rawId, Set.of("recording", "file", "transcript"));
      } catch (ParleyException e) {
        ctx.fail(e);
        return;
      }
      objects.find(tenant, id).onSuccess(found -> {
        if (found.isEmpty()) {
          ctx.fail(ParleyException.notFound("this object no longer exists"));
          return;
        }
        ServeObject.serve(ctx, store, objects, found.get());
      }).onFailure(ctx::fail);
    };
  }
}

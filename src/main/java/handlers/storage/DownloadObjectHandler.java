package handlers.storage;

import common.ParleyException;
import data.blob.BlobStore;
import handlers.AuthenticateHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import security.Identity;

import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /api/v1/recordings/{rid}} and {@code GET /api/v1/files/{fid}}: the object's bytes for
 * a participant of its meeting, streamed with range support; with {@code ?redirect=true} a 302 to a
 * short-lived signed URL instead (Azure SAS, or this server's HMAC-signed route).
 */
public final class DownloadObjectHandler implements Handler<RoutingContext> {

  private final ObjectAccess access;
  private final BlobStore store;
  private final SignObjectLinks links;
  private final Set<String> kinds;
  private final String idParam;

  public DownloadObjectHandler(ObjectAccess access, BlobStore store, SignObjectLinks links, Set<String> kinds, String idParam) {
    this.access = access;
    this.store = store;
    this.links = links;
    this.kinds = kinds;
    this.idParam = idParam;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Identity caller = AuthenticateHandler.identity(ctx);
    UUID id;
    try {
      id = ObjectAccess.id(ctx.pathParam(idParam), kinds);
    } catch (ParleyException e) {
      ctx.fail(e);
      return;
    }
    boolean redirect = "true".equals(ctx.request().getParam("redirect"));
    access.requireReadable(caller, id, kinds)
      .onSuccess(o -> {
        if (redirect) {
          links.link(o).onSuccess(link -> ctx.response().setStatusCode(302)
              .putHeader("Location", link.getString("url")).putHeader("Cache-Control", "no-store").end())
            .onFailure(ctx::fail);
        } else {
          ServeObject.serve(ctx, store, access.objects(), o);
        }
      })
      .onFailure(ctx::fail);
  }

  /** {@code GET /api/v1/recordings/{rid}/link}, {@code GET /api/v1/files/{fid}/link}: {@code {url, expiresAt}}. */
  public Handler<RoutingContext> linkRoute() {
    return ctx -> {
      Identity caller = AuthenticateHandler.identity(ctx);
      UUID id;
      try {
        id = ObjectAccess.id(ctx.pathParam(idParam), kinds);
      } catch (ParleyException e) {
        ctx.fail(e);
        return;
      }
      access.requireReadable(caller, id, kinds)
        .compose(links::link)
        .onSuccess(link -> ctx.response().putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store").end(link.encode()))
        .onFailure(ctx::fail);
    };
  }
}

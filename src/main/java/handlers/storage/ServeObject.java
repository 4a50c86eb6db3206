package handlers.storage;

import common.ParleyException;
import data.StoredObjectRepository.StoredObject;
import data.StoredObjectRepository;
import data.blob.BlobKey;
import data.blob.BlobRead;
import data.blob.BlobStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a stored object to an HTTP response with range support ({@code Range: bytes=a-b},
 * {@code a-}, {@code -n}; 206 with {@code Content-Range}, 416 outside the object), so video players
 * can seek. An archived object is not served: 409, and its rehydration is started and noted. The
 * stream follows the response's backpressure and is released if the client goes away.
 */
final class ServeObject {

  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  private ServeObject() {
  }

  static void serve(RoutingContext ctx, BlobStore store, StoredObjectRepository objects, StoredObject o) {
    if (!o.complete()) {
      ctx.fail(ParleyException.conflict("this recording is still being uploaded"));
      return;
    }
    long start = 0;
    long end = -1;
    boolean partial = false;
    String range = ctx.request().getHeader("Range");
    if (range != null && o.size() > 0) {
      Matcher m = RANGE.matcher(range.trim());
      // Anything but one well-formed byte range is ignored, as RFC 9110 allows: the whole object is sent.
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        partial = true;
        if (m.group(1).isEmpty()) {
          long suffix = Long.parseLong(m.group(2));
          if (suffix == 0) {
            unsatisfiable(ctx, o.size());
            return;
          }
          start = Math.max(0, o.size() - suffix);
        } else {
          start = Long.parseLong(m.group(1));
          end = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
          if (start >= o.size()) {
            unsatisfiable(ctx, o.size());
            return;
          }
          if (end >= 0 && end < start) {
            partial = false;
            start = 0;
            end = -1;
          }
        }
      }
    }
    boolean isPartial = partial;
    BlobKey key = BlobKey.parse(o.blobKey());
    store.read(key, start, end)
      .recover(err -> {
        if (err instanceof ParleyException pe && pe.status() == 409) {
          // Archived: rehydration was started by the store; remember it so the lifecycle pass follows it.
          return objects.rehydrateRequested(o.tenant(), o.id()).transform(v -> Future.<BlobRead>failedFuture(
            ParleyException.conflict("this " + ("recording".equals(o.kind()) ? "recording" : "file")
              + " is archived; it is being restored, try again in a few hours")));
        }
        return Future.failedFuture(err);
      })
      .onSuccess(read -> send(ctx, o, read, isPartial))
      .onFailure(err -> {
        if (err instanceof ParleyException pe && pe.status() == 416) {
          unsatisfiable(ctx, o.size());
        } else {
          ctx.fail(err);
        }
      });
  }

  private static void send(RoutingContext ctx, StoredObject o, BlobRead read, boolean partial) {
    HttpServerResponse res = ctx.response();
    res.setStatusCode(partial ? 206 : 200)
      .putHeader("Content-Type", o.contentType())
      .putHeader("Content-Length", Long.toString(read.length()))
      .putHeader("Accept-Ranges", "bytes")
      .putHeader("Cache-Control", "private, max-age=0")
      .putHeader("Content-Disposition", disposition(o))
      .putHeader("ETag", "\"" + (o.sha256() != null ? o.sha256() : o.id() + "-" + o.size()) + "\"");
    if (partial) {
      res.putHeader("Content-Range", "bytes " + read.start() + "-" + read.endInclusive() + "/" + read.totalSize());
    }
    if ("HEAD".equals(ctx.request().method().name()) || read.length() == 0) {
      read.close();
      res.end();
      return;
    }
    res.closeHandler(v -> read.close());
    read.stream().pipeTo(res).onFailure(err -> {
      read.close();
      if (!res.ended()) {
        res.reset();
      }
    });
  }

  private static void unsatisfiable(RoutingContext ctx, long size) {
    ctx.response().putHeader("Content-Range", "bytes */" + size);
    ctx.fail(new ParleyException(416, "range_not_satisfiable", "the requested range is outside the " + size + " bytes of this object"));
  }

  /** Recordings play in the page; files and transcripts are downloaded under their display name. */
  static String disposition(StoredObject o) {
    String type = "recording".equals(o.kind()) ? "inline" : "attachment";
    String ascii = o.name().replaceAll("[^A-Za-z0-9._ -]", "_");
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
      + URLEncoder.encode(o.name(), StandardCharsets.UTF_8).replace("+", "%20");
  }
}

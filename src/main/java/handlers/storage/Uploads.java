package handlers.storage;

import common.ParleyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Rules shared by the upload routes: per-tenant limits, {@code 100-continue}, refusing a body. */
final class Uploads {

  private Uploads() {
  }

  /** The tenant's limit for one object of this kind ({@code uploads.maxRecordingBytes} / {@code maxFileBytes}). */
  static long limit(JsonObject tenantConfig, String kind) {
    JsonObject uploads = tenantConfig.getJsonObject("uploads", new JsonObject());
    Long limit = "recording".equals(kind) ? uploads.getLong("maxRecordingBytes") : uploads.getLong("maxFileBytes");
    return limit == null ? 104_857_600L : limit;
  }

  /** The request's {@code Content-Length}, or -1 when it has none (chunked); 400 when it is not a number. */
  static long declaredLength(HttpServerRequest req) {
    String cl = req.getHeader("Content-Length");
    if (cl == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(cl.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ParleyException.badRequest("Content-Length is not a number");
    }
  }

  static ParleyException tooLarge(String kind, long limit) {
    return ParleyException.tooLarge(("recording".equals(kind) ? "recordings" : "files") + " are limited to "
      + human(limit) + " for this organisation");
  }

  static String human(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + " GiB";
    }
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    return bytes + " bytes";
  }

  /** Tells a client that waits for {@code 100 Continue} to send its body: the checks have passed. */
  static void continueIfExpected(HttpServerRequest req) {
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect")) && !req.response().headWritten()) {
      req.response().writeContinue();
    }
  }

  /**
   * Fails the request. When the body has not been read to its end, the connection is closed after
   * the answer: what is left of a refused upload is not read (the client sees the answer as soon
   * as it looks, and a 1 GiB refused upload costs nothing more).
   */
  /** How long a refused upload's remaining body is read (and dropped) before the connection is closed anyway. */
  static final long DRAIN_MS = 5_000;

  static void refuse(RoutingContext ctx, Throwable err) {
    HttpServerRequest req = ctx.request();
    if (!req.isEnded()) {
      // The answer goes out at once; what the client is still sending is read and dropped, and the
      // connection closed once both are done (or after DRAIN_MS): closing with its bytes unread would
      // reset the connection, and the client could lose the answer it was about to read.
      ctx.response().putHeader("Connection", "close");
      int[] pending = {2};
      long timer = ctx.vertx().setTimer(DRAIN_MS, t -> req.connection().close());
      Runnable oneDone = () -> {
        if (--pending[0] == 0) {
          ctx.vertx().cancelTimer(timer);
          req.connection().close();
        }
      };
      ctx.response().endHandler(v -> oneDone.run());
      req.handler(dropped -> { }).endHandler(v -> oneDone.run());
      req.exceptionHandler(e -> req.connection().close());
      req.resume();
    }
    ctx.fail(err);
  }
}

package handlers.captions;

import io.opentelemetry.context.Scope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Where a caption's work continues: the Vert.x context that received it, with its trace current.
 * Client futures (database, Redis, HTTP) otherwise complete on the client's own context, and what
 * follows would fall out of the caption's trace.
 */
record CaptionContext(Context context, io.opentelemetry.context.Context trace) {

  static CaptionContext current() {
    return new CaptionContext(Vertx.currentContext(), io.opentelemetry.context.Context.current());
  }

  <T> Future<T> resume(Future<T> future) {
    if (context == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> {
      try (Scope ignored = trace.makeCurrent()) {
        promise.handle(ar);
      }
    }));
    return promise.future();
  }
}

package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;

/** PostgreSQL SQLSTATEs turned into the contract's failures, in one place. */
public final class PgErrors {

  private PgErrors() {
  }

  public static <T> Future<T> translate(Throwable err) {
    if (err instanceof ParleyException) {
      return Future.failedFuture(err);
    }
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("23505".equals(state)) {
        return Future.failedFuture(ParleyException.conflict("already exists"));
      }
      if ("23503".equals(state)) {
        return Future.failedFuture(ParleyException.notFound("referenced item not found"));
      }
      if ("22021".equals(state) || "22P05".equals(state)) {
        // Text the database cannot hold (a NUL); the handlers refuse it first, this is the backstop.
        return Future.failedFuture(ParleyException.badRequest("text contains a character that cannot be stored"));
      }
      if ("22P02".equals(state) || "22001".equals(state) || "23514".equals(state)) {
        return Future.failedFuture(ParleyException.badRequest("invalid value"));
      }
    }
    return Future.failedFuture(new ParleyException(503, "unavailable", "database unavailable", err));
  }
}

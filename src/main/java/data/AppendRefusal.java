package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.UUID;

/**
 * Why an append that needs its sender present (chat, the whiteboard, the shared notes) stored
 * nothing, when no earlier one with the same clientId explains it: the meeting is unknown (404),
 * over (409), or the sender is not present in it (403).
 */
final class AppendRefusal {

  private AppendRefusal() {
  }

  static <T> Future<T> why(Db db, Identity sender, UUID meetingId) {
    return db.write().preparedQuery(SqlQueries.MEMBERSHIP).execute(Tuple.of(meetingId, sender.tenant(), sender.userId()))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(ParleyException.notFound("meeting not found"));
        }
        return Future.failedFuture("ended".equals(rows.iterator().next().getString("status"))
          ? ParleyException.conflict("meeting has ended") : ParleyException.forbidden("join the meeting first"));
      });
  }
}

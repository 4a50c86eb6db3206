package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.Optional;
import java.util.UUID;

/**
 * The whiteboard's operations with a per-meeting {@code seq} that is strictly increasing and
 * gapless, taken from {@code meetings.whiteboard_seq} by the inserting statement
 * ({@link CollabSql#APPEND_WHITEBOARD}), exactly as chat's; idempotent on (sender, clientId).
 */
public final class WhiteboardRepository {

  private final Db db;

  public WhiteboardRepository(Db db) {
    this.db = db;
  }

  /** A stored operation, and whether this call stored it (false: an earlier one with the same clientId). */
  public record Stored(JsonObject op, boolean created) {
  }

  /** Appends {@code op}; 404 unknown meeting, 409 ended, 403 the sender is not present. */
  public Future<Stored> append(Identity sender, UUID meetingId, String clientId, JsonObject op) {
    Tuple byClient = Tuple.of(meetingId, sender.userId(), clientId);
    return db.write().preparedQuery(CollabSql.APPEND_WHITEBOARD)
      .execute(Tuple.of(meetingId, sender.tenant(), sender.userId(), clientId, sender.name(), op))
      .compose(rows -> {
        if (rows.size() == 0) {
          return notAppended(sender, meetingId, byClient);
        }
        Row row = rows.iterator().next();
        return Future.succeededFuture(new Stored(new JsonObject().put("seq", row.getLong("seq"))
          .put("senderId", sender.userId()).put("senderName", sender.name()).put("op", op)
          .put("ts", MeetingRepository.iso(row.getOffsetDateTime("created_at"))), true));
      })
      .recover(err -> {
        if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
          return byClientId(byClient).map(existing -> new Stored(existing.orElseThrow(), false));
        }
        return err instanceof ParleyException ? Future.failedFuture(err) : PgErrors.translate(err);
      });
  }

  private Future<Stored> notAppended(Identity sender, UUID meetingId, Tuple byClient) {
    return byClientId(byClient).compose(existing -> existing.isPresent()
      ? Future.succeededFuture(new Stored(existing.get(), false))
      : AppendRefusal.<Stored>why(db, sender, meetingId));
  }

  private Future<Optional<JsonObject>> byClientId(Tuple byClient) {
    return db.write().preparedQuery(CollabSql.WHITEBOARD_BY_CLIENT_ID).execute(byClient)
      .map(rows -> rows.size() == 0 ? Optional.<JsonObject>empty() : Optional.of(opJson(rows.iterator().next())));
  }

  /** Operations with {@code seq > after}, in order, at most {@code limit}. Read from the primary. */
  public Future<JsonArray> history(String tenant, UUID meetingId, long after, int limit) {
    return db.write().preparedQuery(CollabSql.WHITEBOARD_HISTORY).execute(Tuple.of(meetingId, tenant, after, limit))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(row -> out.add(opJson(row)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** What {@code userId}'s undo takes away: the seq of their latest stroke, shape or text still on the board. */
  public Future<Optional<Long>> undoTarget(UUID meetingId, String userId) {
    return db.write().preparedQuery(CollabSql.UNDO_TARGET).execute(Tuple.of(meetingId, userId))
      .map(rows -> rows.size() == 0 ? Optional.<Long>empty() : Optional.of(rows.iterator().next().getLong("seq")))
      .recover(PgErrors::translate);
  }

  private static JsonObject opJson(Row row) {
    return new JsonObject().put("seq", row.getLong("seq")).put("senderId", row.getString("sender_id"))
      .put("senderName", row.getString("sender_name")).put("op", (JsonObject) row.getValue("op"))
      .put("ts", MeetingRepository.iso(row.getOffsetDateTime("created_at")));
  }
}

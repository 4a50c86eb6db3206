package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.UUID;

/**
 * Chat messages with a per-meeting {@code seq} that is strictly increasing and gapless: the number
 * comes from {@code meetings.chat_seq}, incremented in the same transaction as the insert. The
 * row lock serialises concurrent senders on any verticle instance or node; a failed insert rolls
 * the counter back with it. Sends are idempotent on (sender, clientId).
 */
public final class ChatRepository {

  private final Db db;

  public ChatRepository(Db db) {
    this.db = db;
  }

  /** A stored message, and whether this call stored it (false: an earlier send with the same clientId). */
  public record Stored(JsonObject message, boolean created) {
  }

  public Future<Stored> append(Identity sender, UUID meetingId, String clientId, String text, JsonObject moderation) {
    Tuple byClient = Tuple.of(meetingId, sender.userId(), clientId);
    return db.write().preparedQuery(SqlQueries.SELECT_CHAT_BY_CLIENT_ID).execute(byClient)
      .compose(existing -> {
        if (existing.size() > 0) {
          return Future.succeededFuture(new Stored(messageJson(existing.iterator().next()), false));
        }
        return db.write().withTransaction(conn -> insert(conn, sender, meetingId, clientId, text, moderation, byClient));
      })
      .recover(err -> {
        if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
          // A concurrent retry with the same clientId won the race: answer with its result.
          return db.write().preparedQuery(SqlQueries.SELECT_CHAT_BY_CLIENT_ID).execute(byClient)
            .map(rows -> new Stored(messageJson(rows.iterator().next()), false));
        }
        return PgErrors.translate(err);
      });
  }

  private Future<Stored> insert(SqlConnection conn, Identity sender, UUID meetingId, String clientId, String text,
                                JsonObject moderation, Tuple byClient) {
    return conn.preparedQuery(SqlQueries.NEXT_CHAT_SEQ).execute(Tuple.of(meetingId, sender.tenant()))
      .compose(seqRows -> {
        if (seqRows.size() == 0) {
          return Future.failedFuture(ParleyException.notFound("meeting not found"));
        }
        Row seqRow = seqRows.iterator().next();
        if ("ended".equals(seqRow.getString("status"))) {
          return Future.failedFuture(ParleyException.conflict("meeting has ended"));
        }
        long seq = seqRow.getLong("chat_seq");
        // Re-check under the meeting's row lock: a retry may have committed meanwhile.
        return conn.preparedQuery(SqlQueries.SELECT_CHAT_BY_CLIENT_ID).execute(byClient)
          .compose(existing -> {
            if (existing.size() > 0) {
              return Future.failedFuture(new Duplicate(messageJson(existing.iterator().next())));
            }
            UUID id = UUID.randomUUID();
            return conn.preparedQuery(SqlQueries.INSERT_CHAT).execute(Tuple.from(new Object[]{
                meetingId, seq, id, sender.tenant(), sender.userId(), sender.name(), clientId, text, moderation}))
              .map(rows -> new Stored(new JsonObject()
                .put("id", id.toString())
                .put("seq", seq)
                .put("senderId", sender.userId())
                .put("senderName", sender.name())
                .put("text", text)
                .put("ts", MeetingRepository.iso(rows.iterator().next().getOffsetDateTime("created_at")))
                .put("moderation", moderation)
                .put("clientId", clientId), true));
          });
      })
      .recover(err -> err instanceof Duplicate d
        ? Future.succeededFuture(new Stored(d.message, false))
        : Future.failedFuture(err));
  }

  /** Messages with {@code seq > after}, in order, at most {@code limit}. Read from the primary. */
  public Future<JsonArray> history(String tenant, UUID meetingId, long after, int limit) {
    return db.write().preparedQuery(SqlQueries.CHAT_HISTORY).execute(Tuple.of(meetingId, tenant, after, limit))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(row -> out.add(messageJson(row)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  private static JsonObject messageJson(Row row) {
    Object moderation = row.getValue("moderation");
    return new JsonObject()
      .put("id", row.getUUID("id").toString())
      .put("seq", row.getLong("seq"))
      .put("senderId", row.getString("sender_id"))
      .put("senderName", row.getString("sender_name"))
      .put("text", row.getString("text"))
      .put("ts", MeetingRepository.iso(row.getOffsetDateTime("created_at")))
      .put("moderation", moderation instanceof JsonObject json ? json : new JsonObject())
      .put("clientId", row.getString("client_id"));
  }

  /** Rolls the transaction back while carrying the earlier message out. */
  private static final class Duplicate extends RuntimeException {
    final JsonObject message;

    Duplicate(JsonObject message) {
      super(null, null, false, false);
      this.message = message;
    }
  }
}

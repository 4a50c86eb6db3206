package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.UUID;

/**
 * Chat messages with a per-meeting {@code seq} that is strictly increasing and gapless: the number
 * comes from {@code meetings.chat_seq}, incremented by the same statement that inserts the message
 * ({@link SqlQueries#APPEND_CHAT}: one round trip, so the row lock that serialises concurrent
 * senders on any verticle instance or node is held for one statement only); a failed insert rolls
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
    UUID id = UUID.randomUUID();
    Tuple byClient = Tuple.of(meetingId, sender.userId(), clientId);
    return db.write().preparedQuery(SqlQueries.APPEND_CHAT).execute(Tuple.from(new Object[]{
        meetingId, sender.tenant(), sender.userId(), clientId, id, sender.name(), text, moderation}))
      .compose(rows -> {
        if (rows.size() == 0) {
          return notAppended(sender, meetingId, byClient);
        }
        Row row = rows.iterator().next();
        return Future.succeededFuture(new Stored(new JsonObject()
          .put("id", id.toString())
          .put("seq", row.getLong("seq"))
          .put("senderId", sender.userId())
          .put("senderName", sender.name())
          .put("text", text)
          .put("ts", MeetingRepository.iso(row.getOffsetDateTime("created_at")))
          .put("moderation", moderation)
          .put("clientId", clientId), true));
      })
      .recover(err -> {
        if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
          // A concurrent retry with the same clientId won the race (this statement rolled back,
          // its seq with it): answer with the winner's result.
          return db.write().preparedQuery(SqlQueries.SELECT_CHAT_BY_CLIENT_ID).execute(byClient)
            .map(rows -> new Stored(messageJson(rows.iterator().next()), false));
        }
        return err instanceof ParleyException ? Future.failedFuture(err) : PgErrors.translate(err);
      });
  }

  /**
   * Why nothing was appended (the rare path): an earlier send with this clientId (its result is the
   * answer), or the meeting is unknown (404), over (409), or the sender is not present in it (403).
   */
  private Future<Stored> notAppended(Identity sender, UUID meetingId, Tuple byClient) {
    return db.write().preparedQuery(SqlQueries.SELECT_CHAT_BY_CLIENT_ID).execute(byClient).compose(existing -> {
      if (existing.size() > 0) {
        return Future.succeededFuture(new Stored(messageJson(existing.iterator().next()), false));
      }
      return db.write().preparedQuery(SqlQueries.MEMBERSHIP).execute(Tuple.of(meetingId, sender.tenant(), sender.userId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ParleyException.notFound("meeting not found"));
          }
          Row row = rows.iterator().next();
          if ("ended".equals(row.getString("status"))) {
            return Future.failedFuture(ParleyException.conflict("meeting has ended"));
          }
          return Future.failedFuture(ParleyException.forbidden("join the meeting first"));
        });
    });
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
}

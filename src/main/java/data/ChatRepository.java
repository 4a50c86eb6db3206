package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Group commits for one chat verticle instance (see {@link ChatGroupCommit}): at most
   * {@code maxBatch} rows a statement and {@code maxInFlight} statements at a time; the listener
   * hears of each statement's rows and meetings.
   */
  public ChatGroupCommit groupCommit(int maxBatch, int maxInFlight, ChatGroupCommit.Listener listener) {
    return new ChatGroupCommit(this, maxBatch, maxInFlight, listener);
  }

  /**
   * Stores the sends of one batch with one statement and completes each one's promise: for one
   * meeting {@link SqlQueries#APPEND_CHAT_BATCH}, for several {@link SqlQueries#APPEND_CHAT_MEETINGS}.
   * A single send, or a batch whose statement fails (a concurrent retry of one of its clientIds,
   * say), goes through {@link #append} one by one. Completes when every promise has: true when one
   * statement did it all, false when it fell back to one statement per send.
   */
  Future<Boolean> appendAll(List<ChatGroupCommit.Pending> batch) {
    if (batch.size() == 1) {
      ChatGroupCommit.Pending p = batch.get(0);
      return append(p.sender(), p.meetingId(), p.clientId(), p.text(), p.moderation()).onComplete(p.result())
        .transform(done -> Future.succeededFuture(true));
    }
    ChatGroupCommit.Pending first = batch.get(0);
    int n = batch.size();
    boolean oneMeeting = true;
    UUID[] meetings = new UUID[n];
    String[] tenants = new String[n];
    String[] senders = new String[n];
    String[] clientIds = new String[n];
    UUID[] ids = new UUID[n];
    String[] names = new String[n];
    String[] texts = new String[n];
    String[] moderations = new String[n];
    for (int i = 0; i < n; i++) {
      ChatGroupCommit.Pending p = batch.get(i);
      meetings[i] = p.meetingId();
      tenants[i] = p.sender().tenant();
      oneMeeting &= meetings[i].equals(first.meetingId()) && tenants[i].equals(first.sender().tenant());
      senders[i] = p.sender().userId();
      clientIds[i] = p.clientId();
      ids[i] = UUID.randomUUID();
      names[i] = p.sender().name();
      texts[i] = p.text();
      moderations[i] = p.moderation().encode();
    }
    Future<RowSet<Row>> statement = oneMeeting
      ? db.write().preparedQuery(SqlQueries.APPEND_CHAT_BATCH).execute(Tuple.from(new Object[]{
          first.meetingId(), first.sender().tenant(), senders, clientIds, ids, names, texts, moderations}))
      : db.write().preparedQuery(SqlQueries.APPEND_CHAT_MEETINGS).execute(Tuple.from(new Object[]{
          meetings, tenants, senders, clientIds, ids, names, texts, moderations}));
    return statement
      .compose(rows -> {
        Map<UUID, Row> stored = new HashMap<>();
        rows.forEach(row -> stored.put(row.getUUID("id"), row));
        List<Future<Stored>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ChatGroupCommit.Pending p = batch.get(i);
          Row row = stored.get(ids[i]);
          Future<Stored> one = row != null
            ? Future.succeededFuture(stored(p.sender(), ids[i], p.clientId(), p.text(), p.moderation(), row))
            : notAppended(p.sender(), p.meetingId(), Tuple.of(p.meetingId(), p.sender().userId(), p.clientId()))
              .recover(err -> err instanceof ParleyException ? Future.failedFuture(err) : PgErrors.translate(err));
          all.add(one.onComplete(p.result()));
        }
        return Future.join(all).transform(done -> Future.succeededFuture(true));
      }, err -> {
        // send by send: each its own statement, checks and answer
        List<Future<Stored>> all = new ArrayList<>(n);
        for (ChatGroupCommit.Pending p : batch) {
          all.add(append(p.sender(), p.meetingId(), p.clientId(), p.text(), p.moderation()).onComplete(p.result()));
        }
        return Future.join(all).transform(done -> Future.succeededFuture(false));
      });
  }

  private static Stored stored(Identity sender, UUID id, String clientId, String text, JsonObject moderation, Row row) {
    return new Stored(new JsonObject()
      .put("id", id.toString())
      .put("seq", row.getLong("seq"))
      .put("senderId", sender.userId())
      .put("senderName", sender.name())
      .put("text", text)
      .put("ts", MeetingRepository.iso(row.getOffsetDateTime("created_at")))
      .put("moderation", moderation)
      .put("clientId", clientId), true);
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
        return Future.succeededFuture(stored(sender, id, clientId, text, moderation, rows.iterator().next()));
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
      return AppendRefusal.<Stored>why(db, sender, meetingId);
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

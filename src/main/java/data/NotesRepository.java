package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import security.Identity;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The shared notes' updates (Automerge changes, opaque here) with a per-meeting {@code seq} that is
 * strictly increasing and gapless, taken from {@code meetings.notes_seq} by the inserting statement
 * ({@link NotesSql#APPEND}), exactly as chat's and the whiteboard's; idempotent on (sender, clientId).
 */
public final class NotesRepository {

  private final Db db;

  public NotesRepository(Db db) {
    this.db = db;
  }

  /** One stored update. */
  public record Update(long seq, String senderId, String senderName, byte[] changes, String ts) {

    /** As the bridge publishes and the history lists it: {@code {seq, senderId, senderName, update (base64), ts}}. */
    public JsonObject json() {
      return new JsonObject().put("seq", seq).put("senderId", senderId).put("senderName", senderName)
        .put("update", Base64.getEncoder().encodeToString(changes)).put("ts", ts);
    }
  }

  /** A stored update, and whether this call stored it (false: an earlier one with the same clientId). */
  public record Stored(Update update, boolean created) {
  }

  /** Appends {@code changes}; 404 unknown meeting, 409 ended, 403 the sender is not present. */
  public Future<Stored> append(Identity sender, UUID meetingId, String clientId, byte[] changes) {
    Tuple byClient = Tuple.of(meetingId, sender.userId(), clientId);
    return db.write().preparedQuery(NotesSql.APPEND)
      .execute(Tuple.of(meetingId, sender.tenant(), sender.userId(), clientId, sender.name(), Buffer.buffer(changes)))
      .compose(rows -> {
        if (rows.size() == 0) {
          return notAppended(sender, meetingId, byClient);
        }
        Row row = rows.iterator().next();
        return Future.succeededFuture(new Stored(new Update(row.getLong("seq"), sender.userId(), sender.name(), changes,
          MeetingRepository.iso(row.getOffsetDateTime("created_at"))), true));
      })
      .recover(err -> {
        if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
          return byClientId(byClient).map(existing -> new Stored(existing.orElseThrow(), false));
        }
        return err instanceof ParleyException ? Future.failedFuture(err) : PgErrors.translate(err);
      });
  }

  /** The update {@code sender} already stored with {@code clientId}, if any. */
  public Future<Optional<Update>> byClientId(Identity sender, UUID meetingId, String clientId) {
    return byClientId(Tuple.of(meetingId, sender.userId(), clientId)).recover(PgErrors::translate);
  }

  private Future<Stored> notAppended(Identity sender, UUID meetingId, Tuple byClient) {
    return byClientId(byClient).compose(existing -> existing.isPresent()
      ? Future.succeededFuture(new Stored(existing.get(), false))
      : AppendRefusal.<Stored>why(db, sender, meetingId));
  }

  private Future<Optional<Update>> byClientId(Tuple byClient) {
    return db.write().preparedQuery(NotesSql.BY_CLIENT_ID).execute(byClient)
      .map(rows -> rows.size() == 0 ? Optional.<Update>empty() : Optional.of(update(rows.iterator().next())));
  }

  /** Updates with {@code seq > after}, in order, at most {@code limit}. Read from the primary. */
  public Future<List<Update>> history(String tenant, UUID meetingId, long after, int limit) {
    return db.write().preparedQuery(NotesSql.HISTORY).execute(Tuple.of(meetingId, tenant, after, limit))
      .map(rows -> {
        List<Update> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(update(row)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  private static Update update(Row row) {
    return new Update(row.getLong("seq"), row.getString("sender_id"), row.getString("sender_name"),
      row.getBuffer("changes").getBytes(), MeetingRepository.iso(row.getOffsetDateTime("created_at")));
  }
}

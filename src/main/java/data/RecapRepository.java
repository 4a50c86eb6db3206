package data;

import ai.summary.MeetingText;
import ai.summary.MeetingText.Utterance;
import ai.summary.Recap;
import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Meeting recaps, the items search finds in them, and the text a recap is made from. Scoped by tenant. */
public final class RecapRepository {

  /** At most this many captions and chat messages go into one recap. */
  static final int MAX_UTTERANCES = 20_000;

  private final Db db;

  public RecapRepository(Db db) {
    this.db = db;
  }

  /** A meeting as far as recaps are concerned. */
  public record MeetingInfo(String title, String status, OffsetDateTime startedAt, OffsetDateTime endedAt) {
    public boolean ended() {
      return "ended".equals(status);
    }
  }

  /** A stored recap: {@code ready} with its recap, or {@code pending} while it is being written. */
  public record StoredRecap(String status, Recap recap, OffsetDateTime updatedAt) {
    public boolean ready() {
      return "ready".equals(status);
    }
  }

  public Future<Optional<MeetingInfo>> meeting(String tenant, UUID meetingId) {
    return db.write().preparedQuery(RecapQueries.SELECT_MEETING).execute(Tuple.of(meetingId, tenant))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.<MeetingInfo>empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new MeetingInfo(r.getString("title"), r.getString("status"), r.getOffsetDateTime("started_at"),
          r.getOffsetDateTime("ended_at")));
      })
      .recover(PgErrors::translate);
  }

  /**
   * Everything said and written in a meeting, in order, with its participants. Its language is the
   * one most of its captions were recognised in, else {@code defaultLang}.
   */
  public Future<MeetingText> text(String tenant, UUID meetingId, MeetingInfo meeting, String defaultLang) {
    Future<List<String>> names = db.write().preparedQuery(RecapQueries.SELECT_PARTICIPANT_NAMES).execute(Tuple.of(meetingId, tenant))
      .map(rows -> {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> {
          if (!out.contains(r.getString("display_name"))) {
            out.add(r.getString("display_name"));
          }
        });
        return out;
      });
    java.util.Map<String, Integer> langs = new java.util.concurrent.ConcurrentHashMap<>();
    Future<List<Utterance>> timeline = db.write().preparedQuery(RecapQueries.SELECT_TIMELINE)
      .execute(Tuple.of(meetingId, tenant, MAX_UTTERANCES))
      .map(rows -> {
        List<Utterance> out = new ArrayList<>();
        rows.forEach(r -> {
          out.add(new Utterance(r.getString("speaker"), r.getString("text"), r.getOffsetDateTime("at").toInstant(),
            r.getString("source")));
          if (r.getString("lang") != null) {
            langs.merge(r.getString("lang"), 1, Integer::sum);
          }
        });
        return out;
      });
    return Future.all(names, timeline).map(v -> new MeetingText(meeting.title(),
        meeting.startedAt() == null ? null : meeting.startedAt().atZoneSameInstant(ZoneOffset.UTC).toLocalDate(),
        names.result(), timeline.result(), langs.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
          .map(java.util.Map.Entry::getKey).orElse(defaultLang)))
      .recover(PgErrors::translate);
  }

  public Future<Optional<StoredRecap>> get(String tenant, UUID meetingId) {
    return db.write().preparedQuery(RecapQueries.SELECT_RECAP).execute(Tuple.of(meetingId, tenant))
      .map(rows -> {
        if (rows.size() == 0) {
          return Optional.<StoredRecap>empty();
        }
        Row r = rows.iterator().next();
        Object json = r.getValue("recap");
        Recap recap = json instanceof JsonObject j ? Recap.fromJson(j) : null;
        return Optional.of(new StoredRecap(r.getString("status"), recap, r.getOffsetDateTime("updated_at")));
      })
      .recover(PgErrors::translate);
  }

  /** True when this caller may write the recap now (no one else is, and it is not written). */
  public Future<Boolean> claim(String tenant, UUID meetingId) {
    return db.write().preparedQuery(RecapQueries.CLAIM_RECAP).execute(Tuple.of(meetingId, tenant))
      .map(rows -> rows.size() == 1)
      .recover(PgErrors::translate);
  }

  /** Gives a claim back after a failure, so that the next reader tries again. */
  public Future<Void> release(String tenant, UUID meetingId) {
    return db.write().preparedQuery(RecapQueries.RELEASE_RECAP).execute(Tuple.of(meetingId, tenant)).<Void>mapEmpty()
      .recover(PgErrors::translate);
  }

  /** Stores a claimed recap and its searchable items, in one transaction. */
  public Future<Void> save(String tenant, UUID meetingId, Recap recap) {
    List<Tuple> items = new ArrayList<>();
    int position = 0;
    for (Recap.Point p : recap.keyPoints()) {
      items.add(item(meetingId, position++, tenant, "keyPoint", p.text(), p.speaker(), p.at()));
    }
    for (Recap.Point p : recap.decisions()) {
      items.add(item(meetingId, position++, tenant, "decision", p.text(), p.speaker(), p.at()));
    }
    for (Recap.ActionItem a : recap.actionItems()) {
      items.add(item(meetingId, position++, tenant, "actionItem", (a.owner() == null ? "" : a.owner() + ": ") + a.task()
        + (a.due() == null ? "" : " (" + a.due() + ")"), a.speaker(), a.at()));
    }
    return db.write().withTransaction(conn -> conn.preparedQuery(RecapQueries.STORE_RECAP)
        .execute(Tuple.of(meetingId, tenant, recap.provider(), recap.lang(), recap.toJson()))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
          : Future.failedFuture(ParleyException.conflict("the recap was not claimed")))
        .compose(v -> conn.preparedQuery(RecapQueries.DELETE_RECAP_ITEMS).execute(Tuple.of(meetingId, tenant)))
        .compose(v -> items.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery(RecapQueries.INSERT_RECAP_ITEM).executeBatch(items).mapEmpty()))
      .<Void>mapEmpty()
      .recover(PgErrors::translate);
  }

  private static Tuple item(UUID meetingId, int position, String tenant, String kind, String text, String speaker, Instant at) {
    return Tuple.from(new Object[]{meetingId, position, tenant, kind, text, speaker,
      at == null ? null : at.atOffset(ZoneOffset.UTC)});
  }
}

package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** PostgreSQL full-text search over a tenant's transcripts, chat and recaps ({@link RecapQueries#SEARCH}). */
public final class SearchRepository {

  private final Db db;

  public SearchRepository(Db db) {
    this.db = db;
  }

  /**
   * A page of hits, best first: {@code kind} (transcript, chat, recap), the meeting, who said it,
   * when, and where in the meeting (and in its recording, when one covers that moment).
   *
   * @param everything true for a tenant admin: every meeting of the tenant, not only those attended
   */
  public Future<JsonArray> search(String tenant, String userId, boolean everything, String query, int limit, int offset) {
    return db.write().preparedQuery(RecapQueries.SEARCH)
      .execute(Tuple.of(tenant, query, everything, userId, limit, offset))
      .map(rows -> {
        JsonArray out = new JsonArray();
        for (Row r : rows) {
          out.add(hit(r));
        }
        return out;
      })
      .recover(PgErrors::translate);
  }

  private static JsonObject hit(Row r) {
    UUID meetingId = r.getUUID("meeting_id");
    OffsetDateTime at = r.getOffsetDateTime("at");
    OffsetDateTime started = r.getOffsetDateTime("started_at");
    JsonObject hit = new JsonObject()
      .put("kind", r.getString("kind"))
      .put("meetingId", meetingId.toString())
      .put("meetingTitle", r.getString("title"))
      .put("speakerId", r.getString("who_id"))
      .put("speakerName", r.getString("who"))
      .put("at", MeetingRepository.iso(at))
      .put("snippet", r.getString("snippet"))
      .put("rank", Math.round(r.getDouble("rank") * 1e4) / 1e4);
    Long offset = seconds(started, at);
    hit.put("offsetSeconds", offset);
    UUID recording = r.getUUID("recording_id");
    String link = "/#/m/" + meetingId + "/recap";
    if (recording != null) {
      long into = seconds(r.getOffsetDateTime("recording_started_at"), at);
      hit.put("recording", new JsonObject().put("id", recording.toString()).put("offsetSeconds", into)
        .put("url", "/api/v1/recordings/" + recording + "#t=" + into));
      link += "?r=" + recording + "&t=" + into;
    } else if (offset != null) {
      link += "?t=" + offset;
    }
    return hit.put("link", link);
  }

  private static Long seconds(OffsetDateTime from, OffsetDateTime to) {
    return from == null || to == null ? null : Math.max(0, Duration.between(from, to).getSeconds());
  }
}

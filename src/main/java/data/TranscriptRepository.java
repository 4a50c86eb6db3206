package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** Final caption segments of a meeting: the transcript. */
public final class TranscriptRepository {

  private final Db db;

  public TranscriptRepository(Db db) {
    this.db = db;
  }

  /** Stores a final segment as published on {@code meeting.{id}.captions}; a repeat is ignored. */
  public Future<Void> save(String tenant, UUID meetingId, JsonObject caption) {
    return db.write().preparedQuery(SqlQueries.INSERT_SEGMENT).execute(Tuple.from(new Object[]{
        meetingId, caption.getString("segmentId"), tenant, caption.getString("speakerId"),
        caption.getString("speakerName", caption.getString("speakerId")), caption.getString("lang"),
        caption.getString("text"), caption.getLong("startMs", 0L), caption.getLong("endMs", 0L),
        caption.getJsonObject("translations", new JsonObject()), caption.getBoolean("redacted", false)}))
      .<Void>mapEmpty()
      .recover(PgErrors::translate);
  }

  public Future<JsonArray> segments(String tenant, UUID meetingId) {
    return db.write().preparedQuery(SqlQueries.SELECT_SEGMENTS).execute(Tuple.of(meetingId, tenant))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(r -> {
          Object translations = r.getValue("translations");
          out.add(new JsonObject()
            .put("segmentId", r.getString("segment_id"))
            .put("speakerId", r.getString("speaker_id"))
            .put("speakerName", r.getString("speaker_name"))
            .put("lang", r.getString("lang"))
            .put("text", r.getString("text"))
            .put("startMs", r.getLong("start_ms"))
            .put("endMs", r.getLong("end_ms"))
            .put("translations", translations instanceof JsonObject j ? j : new JsonObject())
            .put("redacted", r.getBoolean("redacted"))
            .put("at", MeetingRepository.iso(r.getOffsetDateTime("created_at"))));
        });
        return out;
      })
      .recover(PgErrors::translate);
  }
}

package data;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Rows of {@code server_recordings}: recordings the server makes through the SFU, which are also
 * their processing jobs. Every query filters on the tenant, except the claim of the next job
 * (any tenant's: the node that claims it processes it).
 */
public final class ServerRecordingRepository {

  /** A server recording as the database knows it. */
  public record ServerRecording(UUID id, String tenant, UUID meetingId, String status, String format, String sourceDir,
                                String startedBy, String startedByName, OffsetDateTime startedAt, OffsetDateTime stoppedAt,
                                int percent, int attempts, String reason, Long durationMs, UUID objectId, UUID captionsId) {

    /** The stored file's entry ({@code stored}: its {@code stored_objects} row) as a ready server recording. */
    public JsonObject toJson(JsonObject stored) {
      JsonObject json = toJson();
      json.mergeIn(stored);
      return json.put("status", status).put("source", "server").put("recordingId", id.toString())
        .put("createdAt", MeetingRepository.iso(startedAt));
    }

    /** The shape the routes answer with and the list shows (ARCHITECTURE.md, "Server recordings"). */
    public JsonObject toJson() {
      JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("recordingId", id.toString())
        .put("meetingId", meetingId.toString())
        .put("kind", "recording")
        .put("name", "Server recording")
        .put("contentType", "audio".equals(format) ? "audio/mp4" : "webm".equals(format) ? "video/webm" : "video/mp4")
        .put("size", 0)
        .put("tier", "hot")
        .put("uploadedBy", startedBy)
        .put("uploadedByName", startedByName)
        .put("source", "server")
        .put("status", status)
        .put("format", format)
        .put("percent", percent)
        .put("startedBy", startedBy)
        .put("startedByName", startedByName)
        .put("createdAt", MeetingRepository.iso(startedAt))
        .put("stoppedAt", MeetingRepository.iso(stoppedAt));
      if (reason != null) {
        json.put("reason", reason);
      }
      if (durationMs != null) {
        json.put("durationMs", durationMs);
      }
      if (captionsId != null) {
        json.put("captionsId", captionsId.toString());
      }
      return json;
    }
  }

  private static final String COLUMNS = "id, tenant_id, meeting_id, status, format, source_dir, started_by, started_by_name, "
    + "started_at, stopped_at, percent, attempts, reason, duration_ms, object_id, captions_id";

  private static final String INSERT = "INSERT INTO server_recordings (id, tenant_id, meeting_id, status, format, source_dir, "
    + "started_by, started_by_name) VALUES ($1, $2, $3, 'recording', $4, $5, $6, $7) RETURNING " + COLUMNS;
  private static final String FIND = "SELECT " + COLUMNS + " FROM server_recordings WHERE id = $1 AND tenant_id = $2";
  private static final String ACTIVE = "SELECT " + COLUMNS + " FROM server_recordings WHERE tenant_id = $1 AND meeting_id = $2 "
    + "AND status = 'recording'";
  private static final String LIST = "SELECT " + COLUMNS + " FROM server_recordings WHERE tenant_id = $1 AND meeting_id = $2 "
    + "ORDER BY started_at DESC LIMIT $3";
  private static final String STOP = "UPDATE server_recordings SET status = 'processing', stopped_at = now(), percent = 0 "
    + "WHERE id = $1 AND tenant_id = $2 AND status = 'recording' RETURNING " + COLUMNS;
  private static final String RETRY = "UPDATE server_recordings SET status = 'processing', percent = 0, reason = NULL, "
    + "claimed_by = NULL, claimed_at = NULL, attempts = 0 WHERE id = $1 AND tenant_id = $2 AND status = 'failed' RETURNING " + COLUMNS;
  /** Recordings still running in meetings that have ended: stopped at the meeting's end. */
  private static final String STOP_ENDED = "UPDATE server_recordings r SET status = 'processing', stopped_at = m.ended_at, percent = 0 "
    + "FROM meetings m WHERE m.id = r.meeting_id AND r.status = 'recording' AND m.ended_at IS NOT NULL RETURNING r.id, r.tenant_id, r.meeting_id";
  /**
   * The oldest job nobody holds (or whose holder stopped refreshing its claim), claimed for
   * {@code $1}; SKIP LOCKED lets nodes claiming at the same moment take different jobs.
   */
  private static final String CLAIM = "UPDATE server_recordings SET claimed_by = $1, claimed_at = now(), attempts = attempts + 1 "
    + "WHERE id = (SELECT id FROM server_recordings WHERE status = 'processing' "
    + "AND (claimed_by IS NULL OR claimed_at < now() - make_interval(secs => $2)) "
    + "ORDER BY stopped_at FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING " + COLUMNS;
  private static final String PROGRESS = "UPDATE server_recordings SET percent = $3, claimed_at = now() "
    + "WHERE id = $1 AND claimed_by = $2 AND status = 'processing'";
  private static final String READY = "UPDATE server_recordings SET status = 'ready', percent = 100, duration_ms = $3, object_id = $1, "
    + "captions_id = $4, ready_at = now(), reason = NULL WHERE id = $1 AND claimed_by = $2 AND status = 'processing' RETURNING " + COLUMNS;
  private static final String FAILED = "UPDATE server_recordings SET status = 'failed', reason = $3, claimed_by = NULL "
    + "WHERE id = $1 AND claimed_by = $2 AND status = 'processing' RETURNING " + COLUMNS;
  private static final String RELEASE = "UPDATE server_recordings SET claimed_by = NULL, claimed_at = NULL, attempts = GREATEST(attempts - 1, 0) "
    + "WHERE id = $1 AND claimed_by = $2 AND status = 'processing'";
  private static final String DELETE = "DELETE FROM server_recordings WHERE id = $1 AND tenant_id = $2";

  private final Db db;

  public ServerRecordingRepository(Db db) {
    this.db = db;
  }

  /** A new recording, {@code recording}; fails with 409 when the meeting has one running already. */
  public Future<ServerRecording> insert(UUID id, String tenant, UUID meetingId, String format, String sourceDir,
                                        String startedBy, String startedByName) {
    return db.write().preparedQuery(INSERT).execute(Tuple.of(id, tenant, meetingId, format, sourceDir, startedBy, startedByName))
      .map(rows -> of(rows.iterator().next()))
      .recover(err -> PgErrors.<ServerRecording>translate(err).recover(e -> Future.failedFuture(
        e instanceof common.ParleyException pe && pe.status() == 409
          ? common.ParleyException.conflict("this meeting is being recorded already") : e)));
  }

  public Future<Optional<ServerRecording>> find(String tenant, UUID id) {
    return one(FIND, Tuple.of(id, tenant));
  }

  /** The meeting's running recording, if any. */
  public Future<Optional<ServerRecording>> active(String tenant, UUID meetingId) {
    return one(ACTIVE, Tuple.of(tenant, meetingId));
  }

  public Future<List<ServerRecording>> list(String tenant, UUID meetingId, int limit) {
    return db.write().preparedQuery(LIST).execute(Tuple.of(tenant, meetingId, limit)).map(ServerRecordingRepository::all)
      .recover(PgErrors::translate);
  }

  /** recording -> processing; empty when it was not recording. */
  public Future<Optional<ServerRecording>> stop(String tenant, UUID id) {
    return one(STOP, Tuple.of(id, tenant));
  }

  /** failed -> processing, unclaimed; empty when it was not failed. */
  public Future<Optional<ServerRecording>> retry(String tenant, UUID id) {
    return one(RETRY, Tuple.of(id, tenant));
  }

  /** Stops the recordings of meetings that have ended: {@code [{id, tenant, meetingId}]}. */
  public Future<List<JsonObject>> stopEnded() {
    return db.write().query(STOP_ENDED).execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(r -> out.add(new JsonObject().put("id", r.getUUID(0).toString()).put("tenant", r.getString(1))
        .put("meetingId", r.getUUID(2).toString())));
      return out;
    }).recover(PgErrors::translate);
  }

  /** The next job for {@code node}, if any: a stopped recording nobody (alive) holds. */
  public Future<Optional<ServerRecording>> claim(String node, long staleSeconds) {
    return one(CLAIM, Tuple.of(node, (double) staleSeconds));
  }

  /** Records the percent done and refreshes the claim; false when the job is no longer ours. */
  public Future<Boolean> progress(UUID id, String node, int percent) {
    return db.write().preparedQuery(PROGRESS).execute(Tuple.of(id, node, percent)).map(rows -> rows.rowCount() == 1)
      .recover(PgErrors::translate);
  }

  public Future<Optional<ServerRecording>> ready(UUID id, String node, long durationMs, UUID captionsId) {
    return one(READY, Tuple.of(id, node, durationMs, captionsId));
  }

  public Future<Optional<ServerRecording>> failed(UUID id, String node, String reason) {
    return one(FAILED, Tuple.of(id, node, reason.length() > 1000 ? reason.substring(0, 1000) : reason));
  }

  /** Gives a job back (this node is stopping): any node claims it at once, the interrupted attempt not counted. */
  public Future<Void> release(UUID id, String node) {
    return db.write().preparedQuery(RELEASE).execute(Tuple.of(id, node)).<Void>mapEmpty().recover(PgErrors::translate);
  }

  public Future<Void> delete(String tenant, UUID id) {
    return db.write().preparedQuery(DELETE).execute(Tuple.of(id, tenant)).<Void>mapEmpty().recover(PgErrors::translate);
  }

  private Future<Optional<ServerRecording>> one(String sql, Tuple args) {
    return db.write().preparedQuery(sql).execute(args).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(of(it.next())) : Optional.<ServerRecording>empty();
    }).recover(PgErrors::translate);
  }

  private static List<ServerRecording> all(RowSet<Row> rows) {
    List<ServerRecording> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(of(r)));
    return out;
  }

  private static ServerRecording of(Row r) {
    return new ServerRecording(r.getUUID("id"), r.getString("tenant_id"), r.getUUID("meeting_id"), r.getString("status"),
      r.getString("format"), r.getString("source_dir"), r.getString("started_by"), r.getString("started_by_name"),
      r.getOffsetDateTime("started_at"), r.getOffsetDateTime("stopped_at"), r.getInteger("percent"), r.getInteger("attempts"),
      r.getString("reason"), r.getLong("duration_ms"), r.getUUID("object_id"), r.getUUID("captions_id"));
  }
}

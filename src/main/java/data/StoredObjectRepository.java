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
 * Rows of {@code stored_objects}: what is kept in the blob store for a meeting (recordings,
 * shared files, exported transcripts), with size, SHA-256, uploader and tier. Every query filters
 * on the tenant, so another tenant's id is simply not found.
 */
public final class StoredObjectRepository {

  /** A stored object as the database knows it. */
  public record StoredObject(UUID id, String tenant, UUID meetingId, String kind, String blobKey, String name,
                             String contentType, long size, String sha256, String uploadedBy, String uploadedByName,
                             String status, String tier, OffsetDateTime createdAt, OffsetDateTime completedAt,
                             OffsetDateTime rehydrateRequestedAt) {

    public boolean complete() {
      return "complete".equals(status);
    }

    /** The public shape (ARCHITECTURE.md section 3; the README's storage section). */
    public JsonObject toJson() {
      return new JsonObject()
        .put("id", id.toString())
        .put("meetingId", meetingId.toString())
        .put("kind", kind)
        .put("name", name)
        .put("contentType", contentType)
        .put("size", size)
        .put("sha256", sha256)
        .put("uploadedBy", uploadedBy)
        .put("uploadedByName", uploadedByName)
        .put("status", status)
        .put("tier", tier)
        .put("createdAt", MeetingRepository.iso(createdAt))
        .put("completedAt", MeetingRepository.iso(completedAt));
    }
  }

  /** What a new row holds. */
  public record NewObject(UUID id, String tenant, UUID meetingId, String kind, String blobKey, String name,
                          String contentType, long size, String sha256, String uploadedBy, String uploadedByName,
                          boolean complete) {
  }

  /** Bytes and objects of one tenant in one tier (complete objects only). */
  public record TierUsage(String tenant, String tier, long objects, long bytes) {
  }

  private final Db db;

  public StoredObjectRepository(Db db) {
    this.db = db;
  }

  public Future<StoredObject> insert(NewObject o) {
    return db.write().preparedQuery(SqlQueries.INSERT_OBJECT).execute(Tuple.from(new Object[]{
        o.id(), o.tenant(), o.meetingId(), o.kind(), o.blobKey(), o.name(), o.contentType(), o.size(), o.sha256(),
        o.uploadedBy(), o.uploadedByName(), o.complete() ? "complete" : "uploading"}))
      .map(rows -> of(rows.iterator().next()))
      .recover(PgErrors::translate);
  }

  /** The object, read from the primary (it may have been written a moment ago). */
  public Future<Optional<StoredObject>> find(String tenant, UUID id) {
    return db.write().preparedQuery(SqlQueries.SELECT_OBJECT).execute(Tuple.of(id, tenant))
      .map(StoredObjectRepository::first)
      .recover(PgErrors::translate);
  }

  /** Complete objects of one kind in a meeting, newest first (from the read pool). */
  public Future<List<StoredObject>> list(String tenant, UUID meetingId, String kind, int limit) {
    return db.read(client -> client.preparedQuery(SqlQueries.LIST_OBJECTS).execute(Tuple.of(tenant, meetingId, kind, limit)))
      .map(StoredObjectRepository::all)
      .recover(PgErrors::translate);
  }

  public Future<List<StoredObject>> uploading(String tenant, UUID meetingId) {
    return db.write().preparedQuery(SqlQueries.UPLOADING_OBJECTS).execute(Tuple.of(tenant, meetingId))
      .map(StoredObjectRepository::all)
      .recover(PgErrors::translate);
  }

  /** Records the new size of an object being uploaded in chunks; empty when it is no longer uploading. */
  public Future<Optional<StoredObject>> grow(String tenant, UUID id, long size) {
    return db.write().preparedQuery(SqlQueries.GROW_OBJECT).execute(Tuple.of(id, tenant, size))
      .map(StoredObjectRepository::first)
      .recover(PgErrors::translate);
  }

  /** Marks an uploading object complete; empty when it was not uploading (already complete, or gone). */
  public Future<Optional<StoredObject>> complete(String tenant, UUID id, long size, String sha256) {
    return db.write().preparedQuery(SqlQueries.COMPLETE_OBJECT).execute(Tuple.of(id, tenant, size, sha256))
      .map(StoredObjectRepository::first)
      .recover(PgErrors::translate);
  }

  public Future<Void> delete(String tenant, UUID id) {
    return db.write().preparedQuery(SqlQueries.DELETE_OBJECT).execute(Tuple.of(id, tenant))
      .<Void>mapEmpty().recover(PgErrors::translate);
  }

  public Future<Void> setTier(String tenant, UUID id, String tier) {
    return db.write().preparedQuery(SqlQueries.SET_OBJECT_TIER).execute(Tuple.of(id, tenant, tier))
      .<Void>mapEmpty().recover(PgErrors::translate);
  }

  public Future<Void> rehydrateRequested(String tenant, UUID id) {
    return db.write().preparedQuery(SqlQueries.MARK_REHYDRATE_REQUESTED).execute(Tuple.of(id, tenant))
      .<Void>mapEmpty().recover(PgErrors::translate);
  }

  public Future<List<String>> tenants() {
    return db.write().query(SqlQueries.OBJECT_TENANTS).execute()
      .map(rows -> {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.getString(0)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  public Future<List<StoredObject>> dueForDeletion(String tenant, long retentionDays, int limit) {
    return db.write().preparedQuery(SqlQueries.OBJECTS_TO_DELETE).execute(Tuple.of(tenant, limit, (int) retentionDays))
      .map(StoredObjectRepository::all).recover(PgErrors::translate);
  }

  public Future<List<StoredObject>> dueForArchive(String tenant, long coolDays, long staysOutDays, int limit) {
    return db.write().preparedQuery(SqlQueries.OBJECTS_TO_ARCHIVE)
      .execute(Tuple.of(tenant, limit, (int) coolDays, (int) staysOutDays))
      .map(StoredObjectRepository::all).recover(PgErrors::translate);
  }

  public Future<List<StoredObject>> dueForCool(String tenant, long hotDays, int limit) {
    return db.write().preparedQuery(SqlQueries.OBJECTS_TO_COOL).execute(Tuple.of(tenant, limit, (int) hotDays))
      .map(StoredObjectRepository::all).recover(PgErrors::translate);
  }

  public Future<List<StoredObject>> rehydrating(String tenant, int limit) {
    return db.write().preparedQuery(SqlQueries.OBJECTS_REHYDRATING).execute(Tuple.of(tenant, limit))
      .map(StoredObjectRepository::all).recover(PgErrors::translate);
  }

  public Future<List<TierUsage>> usageByTenantAndTier() {
    return db.read(client -> client.query(SqlQueries.STORAGE_BY_TENANT_TIER).execute())
      .map(rows -> {
        List<TierUsage> out = new ArrayList<>();
        rows.forEach(r -> out.add(new TierUsage(r.getString("tenant_id"), r.getString("tier"),
          r.getLong("objects"), r.getLong("bytes"))));
        return out;
      })
      .recover(PgErrors::translate);
  }

  private static Optional<StoredObject> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(of(it.next())) : Optional.empty();
  }

  private static List<StoredObject> all(RowSet<Row> rows) {
    List<StoredObject> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(of(r)));
    return out;
  }

  private static StoredObject of(Row r) {
    return new StoredObject(r.getUUID("id"), r.getString("tenant_id"), r.getUUID("meeting_id"), r.getString("kind"),
      r.getString("blob_key"), r.getString("name"), r.getString("content_type"), r.getLong("size_bytes"),
      r.getString("sha256"), r.getString("uploaded_by"), r.getString("uploaded_by_name"), r.getString("status"),
      r.getString("tier"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("completed_at"),
      r.getOffsetDateTime("rehydrate_requested_at"));
  }
}

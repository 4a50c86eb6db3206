package data;

import common.ParleyException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's webhooks and every delivery to them, in PostgreSQL, always scoped by tenant. The
 * deliveries table is also the queue: a delivery is pending until delivered or out of attempts, and
 * nodes take due ones with {@code SKIP LOCKED} and a lease, so each attempt is made once.
 */
public final class WebhookRepository {

  private final Db db;

  public WebhookRepository(Db db) {
    this.db = db;
  }

  /** A delivery taken for an attempt, with where it goes and the secret to sign it with. */
  public record Due(UUID id, String tenant, UUID webhookId, String event, JsonObject payload, int attempt,
                    OffsetDateTime createdAt, String url, String secret) {
  }

  /** Stores a webhook; at most {@code maxPerTenant} per tenant (409). */
  public Future<JsonObject> create(String tenant, String url, List<String> events, String secret, String description,
                                   String createdBy, int maxPerTenant) {
    UUID id = UUID.randomUUID();
    return db.write().withTransaction(conn -> conn.preparedQuery(SqlQueries.UPSERT_TENANT).execute(Tuple.of(tenant))
        // one creation at a time per tenant, so that the limit holds
        .compose(v -> conn.preparedQuery("SELECT pg_advisory_xact_lock(hashtext($1))").execute(Tuple.of("webhooks:" + tenant)))
        .compose(v -> conn.preparedQuery(WebhookSql.COUNT).execute(Tuple.of(tenant)))
        .compose(rows -> rows.iterator().next().getLong("n") >= maxPerTenant
          ? Future.failedFuture(ParleyException.conflict("an organisation has at most " + maxPerTenant + " webhooks; delete one first"))
          : conn.preparedQuery(WebhookSql.INSERT).execute(Tuple.of(id, tenant, url, events.toArray(new String[0]), secret,
            description, createdBy))))
      .map(rows -> webhookJson(rows.iterator().next()))
      .recover(PgErrors::translate);
  }

  public Future<JsonArray> list(String tenant) {
    return db.write().preparedQuery(WebhookSql.LIST).execute(Tuple.of(tenant))
      .map(rows -> {
        JsonArray out = new JsonArray();
        rows.forEach(r -> out.add(webhookJson(r)));
        return out;
      })
      .recover(PgErrors::translate);
  }

  /** The webhook, or 404 (also for other tenants' ids). */
  public Future<JsonObject> get(String tenant, UUID id) {
    return db.write().preparedQuery(WebhookSql.SELECT).execute(Tuple.of(id, tenant))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(ParleyException.notFound("webhook not found"))
        : Future.succeededFuture(webhookJson(rows.iterator().next())))
      .recover(PgErrors::translate);
  }

  /** Deletes a webhook and its delivery log; 404 when there is none. */
  public Future<Void> delete(String tenant, UUID id) {
    return db.write().preparedQuery(WebhookSql.DELETE).execute(Tuple.of(id, tenant))
      .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(ParleyException.notFound("webhook not found"))
        : Future.<Void>succeededFuture())
      .recover(PgErrors::translate);
  }

  /** Queues {@code event} for every webhook of the tenant that wants it; how many were queued. */
  public Future<Integer> queue(String tenant, String event, JsonObject payload) {
    return db.write().preparedQuery(WebhookSql.QUEUE_EVENT).execute(Tuple.of(tenant, event, payload))
      .map(rows -> rows.rowCount())
      .recover(PgErrors::translate);
  }

  /** Queues a {@code ping} to one webhook (the test button); its delivery id. */
  public Future<UUID> queuePing(String tenant, UUID webhookId, JsonObject payload) {
    UUID id = UUID.randomUUID();
    return db.write().preparedQuery(WebhookSql.QUEUE_PING).execute(Tuple.of(id, tenant, webhookId, payload))
      .map(rows -> id)
      .recover(PgErrors::translate);
  }

  /** Takes up to {@code limit} due deliveries for {@code leaseSeconds}. */
  public Future<List<Due>> claimDue(int limit, int leaseSeconds) {
    return db.write().preparedQuery(WebhookSql.CLAIM_DUE).execute(Tuple.of(limit, leaseSeconds))
      .map(rows -> {
        List<Due> out = new ArrayList<>();
        for (Row r : rows) {
          out.add(new Due(r.getUUID("id"), r.getString("tenant_id"), r.getUUID("webhook_id"), r.getString("event"),
            r.getJsonObject("payload"), r.getInteger("attempts"), r.getOffsetDateTime("created_at"), r.getString("url"),
            r.getString("secret")));
        }
        return out;
      });
  }

  public Future<Void> delivered(UUID id, int status) {
    return db.write().preparedQuery(WebhookSql.DELIVERED).execute(Tuple.of(id, status)).mapEmpty();
  }

  /** Records a failed attempt; {@code retryInSeconds} null when it was the last. */
  public Future<Void> attemptFailed(UUID id, Integer status, String error, Double retryInSeconds) {
    return db.write().preparedQuery(WebhookSql.ATTEMPT_FAILED).execute(Tuple.of(id, status, error, retryInSeconds)).mapEmpty();
  }

  /** The tenant's delivery log, newest first: {@code {items, nextCursor}}. */
  public Future<JsonObject> deliveries(String tenant, UUID webhookId, int limit, String cursor) {
    OffsetDateTime afterCreated = null;
    UUID afterId = null;
    if (cursor != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
        afterCreated = OffsetDateTime.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        return Future.failedFuture(ParleyException.badRequest("cursor is not one this server issued"));
      }
    }
    return db.write().preparedQuery(WebhookSql.LIST_DELIVERIES).execute(Tuple.of(tenant, limit + 1, afterCreated, afterId, webhookId))
      .map(rows -> {
        JsonArray items = new JsonArray();
        String next = null;
        OffsetDateTime lastCreated = null;
        for (Row r : rows) {
          if (items.size() == limit) {
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((lastCreated + "|"
              + items.getJsonObject(limit - 1).getString("id")).getBytes(StandardCharsets.UTF_8));
            break;
          }
          lastCreated = r.getOffsetDateTime("created_at");
          items.add(new JsonObject().put("id", r.getUUID("id").toString()).put("webhookId", r.getUUID("webhook_id").toString())
            .put("event", r.getString("event")).put("status", r.getString("status")).put("attempts", r.getInteger("attempts"))
            .put("lastStatus", r.getInteger("last_status")).put("lastError", r.getString("last_error"))
            .put("createdAt", MeetingRepository.iso(lastCreated))
            .put("nextAttemptAt", MeetingRepository.iso(r.getOffsetDateTime("next_attempt_at")))
            .put("deliveredAt", MeetingRepository.iso(r.getOffsetDateTime("delivered_at"))));
        }
        return new JsonObject().put("items", items).put("nextCursor", next);
      })
      .recover(PgErrors::translate);
  }

  private static JsonObject webhookJson(Row r) {
    JsonArray events = new JsonArray();
    for (String e : r.getArrayOfStrings("events")) {
      events.add(e);
    }
    return new JsonObject().put("id", r.getUUID("id").toString()).put("url", r.getString("url")).put("events", events)
      .put("description", r.getString("description")).put("createdBy", r.getString("created_by"))
      .put("createdAt", MeetingRepository.iso(r.getOffsetDateTime("created_at")));
  }
}

package data;

/** The SQL of tenant webhooks and their delivery log. */
final class WebhookSql {

  private WebhookSql() {
  }

  static final String COLUMNS = "id, tenant_id, url, events, description, created_by, created_at";

  static final String COUNT = "SELECT count(*) AS n FROM webhooks WHERE tenant_id = $1";

  static final String INSERT = """
    INSERT INTO webhooks (id, tenant_id, url, events, secret, description, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
    RETURNING """ + " " + COLUMNS;

  static final String LIST = "SELECT " + COLUMNS + " FROM webhooks WHERE tenant_id = $1 ORDER BY created_at, id";

  static final String SELECT = "SELECT " + COLUMNS + " FROM webhooks WHERE id = $1 AND tenant_id = $2";

  static final String DELETE = "DELETE FROM webhooks WHERE id = $1 AND tenant_id = $2";

  /** One pending delivery per webhook of the tenant that wants the event. $1 tenant, $2 event, $3 payload. */
  static final String QUEUE_EVENT = """
    INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, event, payload, status, next_attempt_at)
    SELECT gen_random_uuid(), w.tenant_id, w.id, $2, $3, 'pending', now() FROM webhooks w
    WHERE w.tenant_id = $1 AND $2 = ANY (w.events)
    RETURNING id""";

  /** The test button's delivery, to one webhook. $1 id, $2 tenant, $3 webhook, $4 payload. */
  static final String QUEUE_PING = """
    INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, event, payload, status, next_attempt_at)
    VALUES ($1, $2, $3, 'ping', $4, 'pending', now()) RETURNING id""";

  /**
   * Takes up to $1 deliveries that are due, for $2 seconds (a lease: if this node dies, another
   * takes them once it runs out), counting the attempt. SKIP LOCKED: nodes never take the same one.
   */
  static final String CLAIM_DUE = """
    UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2), attempts = d.attempts + 1
    FROM webhooks w
    WHERE w.id = d.webhook_id AND d.id IN (
      SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.tenant_id, d.webhook_id, d.event, d.payload, d.attempts, d.created_at, w.url, w.secret""";

  static final String DELIVERED = """
    UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_status = $2, last_error = NULL,
      next_attempt_at = NULL WHERE id = $1""";

  /** $2 status (null when no answer), $3 error, $4 seconds until the next attempt, or null: no more attempts. */
  static final String ATTEMPT_FAILED = """
    UPDATE webhook_deliveries SET last_status = $2, last_error = $3,
      status = CASE WHEN $4::float8 IS NULL THEN 'failed' ELSE 'pending' END,
      next_attempt_at = CASE WHEN $4::float8 IS NULL THEN NULL ELSE now() + make_interval(secs => $4::float8) END
    WHERE id = $1""";

  /** Newest first, keyset on (created_at, id); $3/$4 the cursor, $5 one webhook or null. */
  static final String LIST_DELIVERIES = """
    SELECT id, webhook_id, event, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
    FROM webhook_deliveries
    WHERE tenant_id = $1 AND ($5::uuid IS NULL OR webhook_id = $5)
      AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
    ORDER BY created_at DESC, id DESC LIMIT $2""";
}

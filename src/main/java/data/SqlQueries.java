package data;

/** Every SQL statement of the meeting, chat and tenant services, in one holder. */
final class SqlQueries {

  private SqlQueries() {
  }

  static final String UPSERT_TENANT = "INSERT INTO tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING";

  static final String UPSERT_USER = """
    INSERT INTO users (tenant_id, id, display_name, email, locale, roles) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (tenant_id, id) DO UPDATE SET display_name = EXCLUDED.display_name, email = EXCLUDED.email,
      locale = EXCLUDED.locale, roles = EXCLUDED.roles, last_seen_at = now()""";

  static final String SELECT_TENANT_CONFIG = "SELECT config, updated_at FROM tenants WHERE id = $1";

  static final String UPDATE_TENANT_CONFIG = """
    INSERT INTO tenants (id, config, updated_at) VALUES ($1, $2, now())
    ON CONFLICT (id) DO UPDATE SET config = EXCLUDED.config, updated_at = now() RETURNING updated_at""";

  static final String INSERT_MEETING = """
    INSERT INTO meetings (id, tenant_id, title, host_id, status, scheduled_at, lobby, locked)
    VALUES ($1, $2, $3, $4, 'scheduled', $5, $6, $7)
    RETURNING id, title, host_id, status, scheduled_at, started_at, ended_at, created_at, lobby, locked""";

  static final String SELECT_MEETING = """
    SELECT id, title, host_id, status, scheduled_at, started_at, ended_at, created_at, lobby, locked, parent_id
    FROM meetings WHERE id = $1 AND tenant_id = $2""";

  static final String SELECT_MEETING_FOR_UPDATE = SELECT_MEETING + " FOR UPDATE";

  static final String SELECT_PARTICIPANTS = """
    SELECT user_id, display_name, role, first_joined_at, joined_at, left_at
    FROM participants WHERE meeting_id = $1 AND tenant_id = $2 ORDER BY first_joined_at, user_id""";

  static final String SELECT_SESSIONS = """
    SELECT user_id, joined_at, left_at FROM participant_sessions
    WHERE meeting_id = $1 AND tenant_id = $2 ORDER BY joined_at, id""";

  /** Keyset pagination on (created_at, id) descending; $3/$4 are the cursor, $5 the status filter. */
  static final String LIST_MEETINGS = """
    SELECT m.id, m.title, m.host_id, m.status, m.scheduled_at, m.started_at, m.ended_at, m.created_at, m.lobby, m.locked,
      (SELECT count(*) FROM participants p WHERE p.meeting_id = m.id AND p.left_at IS NULL) AS present
    FROM meetings m
    WHERE m.tenant_id = $1 AND ($5::text IS NULL OR m.status = $5) AND m.parent_id IS NULL
      AND ($3::timestamptz IS NULL OR (m.created_at, m.id) < ($3, $4::uuid))
    ORDER BY m.created_at DESC, m.id DESC LIMIT $2""";

  static final String UPSERT_PARTICIPANT = """
    INSERT INTO participants (meeting_id, tenant_id, user_id, display_name, role, first_joined_at, joined_at)
    VALUES ($1, $2, $3, $4, $5, now(), now())
    ON CONFLICT (meeting_id, user_id) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      joined_at = CASE WHEN participants.left_at IS NULL THEN participants.joined_at ELSE now() END, left_at = NULL
    RETURNING (xmax = 0) AS inserted, joined_at""";

  static final String OPEN_SESSION = """
    INSERT INTO participant_sessions (meeting_id, tenant_id, user_id, joined_at)
    SELECT $1, $2, $3, now() WHERE NOT EXISTS (
      SELECT 1 FROM participant_sessions WHERE meeting_id = $1 AND user_id = $3 AND left_at IS NULL)""";

  static final String START_MEETING = """
    UPDATE meetings SET status = 'live', started_at = now() WHERE id = $1 AND status = 'scheduled'""";

  static final String LEAVE_PARTICIPANT = """
    UPDATE participants SET left_at = now() WHERE meeting_id = $1 AND tenant_id = $2 AND user_id = $3 AND left_at IS NULL""";

  static final String CLOSE_SESSION = """
    UPDATE participant_sessions SET left_at = now() WHERE meeting_id = $1 AND user_id = $2 AND left_at IS NULL""";

  static final String END_MEETING = "UPDATE meetings SET status = 'ended', ended_at = now() WHERE id = $1";

  static final String LEAVE_ALL = "UPDATE participants SET left_at = now() WHERE meeting_id = $1 AND left_at IS NULL";

  static final String CLOSE_ALL_SESSIONS = "UPDATE participant_sessions SET left_at = now() WHERE meeting_id = $1 AND left_at IS NULL";

  static final String MEMBERSHIP = """
    SELECT m.status, m.host_id, p.role, p.left_at, (p.user_id IS NOT NULL) AS member, a.status AS admission
    FROM meetings m LEFT JOIN participants p ON p.meeting_id = m.id AND p.user_id = $3
      LEFT JOIN meeting_admissions a ON a.meeting_id = m.id AND a.user_id = $3
    WHERE m.id = $1 AND m.tenant_id = $2""";

  static final String COUNT_LIVE_MEETINGS = "SELECT count(*) AS n FROM meetings WHERE status = 'live'";

  /** Everyone who joined the meeting, present or gone: whose names readable captions spell. $1 meeting, $2 tenant. */
  static final String PARTICIPANT_NAMES = """
    SELECT DISTINCT display_name FROM participants WHERE meeting_id = $1 AND tenant_id = $2""";

  /** A tenant's live meetings, to tell them about its AI budget. $1 tenant. */
  static final String LIVE_MEETINGS_OF_TENANT = "SELECT id FROM meetings WHERE tenant_id = $1 AND status = 'live'";

  /**
   * One statement, so one round trip and the meeting's row lock held only while it runs: takes the
   * meeting's next {@code chat_seq} and inserts the message under it, unless the meeting is over, the
   * sender is not present in it, or this (sender, clientId) was stored already, in which case no row
   * comes back and nothing changes.
   * A failed insert (a concurrent duplicate: 23505) rolls the counter back with it, so seq stays gapless.
   * $1 meeting, $2 tenant, $3 sender id, $4 client id, $5 message id, $6 sender name, $7 text, $8 moderation.
   */
  static final String APPEND_CHAT = """
    WITH next AS (
      UPDATE meetings SET chat_seq = chat_seq + 1
      WHERE id = $1 AND tenant_id = $2 AND status <> 'ended'
        AND EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = $1 AND p.user_id = $3 AND p.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM chat_messages c WHERE c.meeting_id = $1 AND c.sender_id = $3 AND c.client_id = $4)
      RETURNING chat_seq)
    INSERT INTO chat_messages (meeting_id, seq, id, tenant_id, sender_id, sender_name, client_id, text, moderation)
    SELECT $1::uuid, next.chat_seq, $5::uuid, $2::text, $3::text, $6::text, $4::text, $7::text, $8::jsonb FROM next
    RETURNING seq, created_at""";


  /**
   * {@link #APPEND_CHAT} for several sends to one meeting (arrays $3..$8, one element per send):
   * each is checked as there (sender present, clientId not yet used; the first of two sends with
   * the same clientId wins), the meeting's counter moves once by the number accepted, and they get
   * consecutive seqs in their order. Returns the rows stored; a send without one was refused.
   */
  static final String APPEND_CHAT_BATCH = """
    WITH input AS (
      SELECT * FROM unnest($3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[])
        WITH ORDINALITY AS t(sender_id, client_id, id, sender_name, text, moderation, ord)),
    eligible AS (
      SELECT DISTINCT ON (i.sender_id, i.client_id) i.* FROM input i
      WHERE EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = $1 AND p.user_id = i.sender_id AND p.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM chat_messages c WHERE c.meeting_id = $1 AND c.sender_id = i.sender_id AND c.client_id = i.client_id)
      ORDER BY i.sender_id, i.client_id, i.ord),
    numbered AS (SELECT e.*, row_number() OVER (ORDER BY e.ord) AS rn, count(*) OVER () AS n FROM eligible e),
    next AS (
      UPDATE meetings SET chat_seq = chat_seq + (SELECT count(*) FROM eligible)
      WHERE id = $1 AND tenant_id = $2 AND status <> 'ended' AND EXISTS (SELECT 1 FROM eligible)
      RETURNING chat_seq)
    INSERT INTO chat_messages (meeting_id, seq, id, tenant_id, sender_id, sender_name, client_id, text, moderation)
    SELECT $1::uuid, next.chat_seq - nb.n + nb.rn, nb.id, $2::text, nb.sender_id, nb.sender_name, nb.client_id, nb.text,
      nb.moderation::jsonb
    FROM numbered nb, next
    RETURNING id, seq, created_at""";

  /**
   * {@link #APPEND_CHAT_BATCH} for sends to several meetings in one statement and one commit (arrays
   * $1..$8, one element per send: meeting, tenant, sender, clientId, id, name, text, moderation).
   * Each send is checked as there; each meeting's counter moves once by the number of its sends
   * accepted, which get consecutive seqs in their order. The meetings' rows are locked in id order
   * before they are updated, so two such statements running at once never deadlock on each other.
   * Returns the rows stored; a send without one was refused.
   */
  static final String APPEND_CHAT_MEETINGS = """
    WITH input AS (
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[])
        WITH ORDINALITY AS t(meeting_id, tenant_id, sender_id, client_id, id, sender_name, text, moderation, ord)),
    eligible AS (
      SELECT DISTINCT ON (i.meeting_id, i.sender_id, i.client_id) i.* FROM input i
      WHERE EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = i.meeting_id AND p.user_id = i.sender_id AND p.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM chat_messages c
          WHERE c.meeting_id = i.meeting_id AND c.sender_id = i.sender_id AND c.client_id = i.client_id)
      ORDER BY i.meeting_id, i.sender_id, i.client_id, i.ord),
    counts AS (SELECT meeting_id, tenant_id, count(*) AS n FROM eligible GROUP BY meeting_id, tenant_id),
    locked AS (
      SELECT m.id, c.n FROM meetings m JOIN counts c ON c.meeting_id = m.id AND c.tenant_id = m.tenant_id
      WHERE m.status <> 'ended' ORDER BY m.id FOR UPDATE OF m),
    next AS (
      UPDATE meetings m SET chat_seq = m.chat_seq + l.n FROM locked l WHERE m.id = l.id
      RETURNING m.id, m.chat_seq, l.n),
    numbered AS (SELECT e.*, row_number() OVER (PARTITION BY e.meeting_id ORDER BY e.ord) AS rn FROM eligible e)
    INSERT INTO chat_messages (meeting_id, seq, id, tenant_id, sender_id, sender_name, client_id, text, moderation)
    SELECT nb.meeting_id, nx.chat_seq - nx.n + nb.rn, nb.id, nb.tenant_id, nb.sender_id, nb.sender_name, nb.client_id,
      nb.text, nb.moderation::jsonb
    FROM numbered nb JOIN next nx ON nx.id = nb.meeting_id
    RETURNING id, seq, created_at""";

  static final String SELECT_CHAT_BY_CLIENT_ID = """
    SELECT id, seq, sender_id, sender_name, text, moderation, created_at, client_id FROM chat_messages
    WHERE meeting_id = $1 AND sender_id = $2 AND client_id = $3""";

  static final String CHAT_HISTORY = """
    SELECT id, seq, sender_id, sender_name, text, moderation, created_at, client_id FROM chat_messages
    WHERE meeting_id = $1 AND tenant_id = $2 AND seq > $3 ORDER BY seq LIMIT $4""";

  static final String LIVE_BY_TENANT = """
    SELECT m.tenant_id, count(DISTINCT m.id) AS live,
      count(p.user_id) FILTER (WHERE p.left_at IS NULL) AS present
    FROM meetings m LEFT JOIN participants p ON p.meeting_id = m.id
    WHERE m.status = 'live' GROUP BY m.tenant_id""";

  static final String TENANT_BUDGETS = "SELECT id, config -> 'aiBudgetUsd' AS budget FROM tenants";

  static final String INSERT_SEGMENT = """
    INSERT INTO transcript_segments (meeting_id, segment_id, tenant_id, speaker_id, speaker_name, lang, text,
      start_ms, end_ms, translations, redacted)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
    ON CONFLICT (meeting_id, segment_id) DO NOTHING""";

  static final String SELECT_SEGMENTS = """
    SELECT segment_id, speaker_id, speaker_name, lang, text, start_ms, end_ms, translations, redacted, created_at
    FROM transcript_segments WHERE meeting_id = $1 AND tenant_id = $2 ORDER BY created_at, start_ms, segment_id""";

  static final String INSERT_USAGE = """
    INSERT INTO ai_usage (tenant_id, meeting_id, service, provider, units, unit, cost_usd) VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  /**
   * Several rows of free calls in one statement, each standing for {@code calls} calls: $1 tenants,
   * $2 meetings (null elements for none), $3 services, $4 providers, $5 units, $6 unit names, $7 calls.
   */
  static final String INSERT_FREE_USAGE = """
    INSERT INTO ai_usage (tenant_id, meeting_id, service, provider, units, unit, cost_usd, calls)
    SELECT t, m, s, p, u, n, 0, c FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::float8[], $6::text[], $7::int[])
      AS r(t, m, s, p, u, n, c)""";

  /**
   * A metered call with a cost, and the tenant's month to date in the same statement (so that every
   * node sees one total): $1-$7 as INSERT_USAGE. Returns the month, its total and its level.
   */
  static final String INSERT_USAGE_WITH_BUDGET = """
    WITH u AS (
      INSERT INTO ai_usage (tenant_id, meeting_id, service, provider, units, unit, cost_usd) VALUES ($1, $2, $3, $4, $5, $6, $7)
      RETURNING tenant_id, cost_usd, created_at)
    INSERT INTO ai_budget_months AS b (tenant_id, month, spent_usd)
    SELECT tenant_id, (date_trunc('month', created_at AT TIME ZONE 'UTC'))::date, cost_usd FROM u
    ON CONFLICT (tenant_id, month) DO UPDATE SET spent_usd = b.spent_usd + EXCLUDED.spent_usd
    RETURNING month, spent_usd, level""";

  /** $1 tenant, $2 month. */
  static final String BUDGET_MONTH = "SELECT spent_usd, level FROM ai_budget_months WHERE tenant_id = $1 AND month = $2";

  /**
   * Moves a tenant's month from one level to another, once: of several nodes evaluating at the same
   * time one sees a row come back, and tells the admins. $1 tenant, $2 month, $3 from, $4 to,
   * $5 action, $6 spent, $7 budget. A month without a row (nothing spent) is created at level $3 first.
   */
  static final String CHANGE_BUDGET_LEVEL = """
    WITH m AS (
      INSERT INTO ai_budget_months (tenant_id, month, level) VALUES ($1, $2, $3) ON CONFLICT (tenant_id, month) DO NOTHING),
    changed AS (
      UPDATE ai_budget_months SET level = $4, level_changed_at = now()
      WHERE tenant_id = $1 AND month = $2 AND level = $3 RETURNING tenant_id, month)
    INSERT INTO ai_budget_events (tenant_id, month, level, action, spent_usd, budget_usd)
    SELECT tenant_id, month, $4, $5, $6, $7 FROM changed RETURNING created_at""";

  /** $1 tenant, $2 month. */
  static final String BUDGET_EVENTS = """
    SELECT level, action, spent_usd, budget_usd, created_at FROM ai_budget_events
    WHERE tenant_id = $1 AND month = $2 ORDER BY created_at, id""";

  /** Every tenant's month to date and budget, for the used-ratio gauge. $1 month. */
  static final String BUDGET_RATIOS = """
    SELECT t.id, t.config -> 'aiBudgetUsd' AS budget, coalesce(b.spent_usd, 0) AS spent
    FROM tenants t LEFT JOIN ai_budget_months b ON b.tenant_id = t.id AND b.month = $1""";

  static final String USAGE_BY_SERVICE = """
    SELECT service, provider, unit, sum(units) AS units, sum(cost_usd) AS cost, sum(calls) AS calls
    FROM ai_usage WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3
    GROUP BY service, provider, unit ORDER BY service, provider""";

  static final String MEETING_MINUTES = """
    SELECT coalesce(sum(extract(epoch FROM (coalesce(s.left_at, now()) - s.joined_at))) / 60, 0) AS participant_minutes,
      count(DISTINCT s.meeting_id) AS meetings
    FROM participant_sessions s WHERE s.tenant_id = $1 AND s.joined_at < $3 AND coalesce(s.left_at, now()) >= $2""";

  // --- Stored objects (recordings, shared files, exported transcripts) ---

  static final String OBJECT_COLUMNS = """
    id, tenant_id, meeting_id, kind, blob_key, name, content_type, size_bytes, sha256, uploaded_by,
    uploaded_by_name, status, tier, created_at, completed_at, tier_changed_at, rehydrate_requested_at, rehydrated_at""";

  static final String INSERT_OBJECT = """
    INSERT INTO stored_objects (id, tenant_id, meeting_id, kind, blob_key, name, content_type, size_bytes, sha256,
      uploaded_by, uploaded_by_name, status, completed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $12 = 'complete' THEN now() END)
    RETURNING """ + " " + OBJECT_COLUMNS;

  static final String SELECT_OBJECT = "SELECT " + OBJECT_COLUMNS + " FROM stored_objects WHERE id = $1 AND tenant_id = $2";

  static final String LIST_OBJECTS = "SELECT " + OBJECT_COLUMNS + """
     FROM stored_objects WHERE tenant_id = $1 AND meeting_id = $2 AND kind = $3 AND status = 'complete'
    ORDER BY created_at DESC, id DESC LIMIT $4""";

  static final String UPLOADING_OBJECTS = "SELECT " + OBJECT_COLUMNS
    + " FROM stored_objects WHERE tenant_id = $1 AND meeting_id = $2 AND status = 'uploading'";

  static final String GROW_OBJECT = """
    UPDATE stored_objects SET size_bytes = $3 WHERE id = $1 AND tenant_id = $2 AND status = 'uploading'
    RETURNING """ + " " + OBJECT_COLUMNS;

  static final String COMPLETE_OBJECT = """
    UPDATE stored_objects SET status = 'complete', size_bytes = $3, sha256 = $4, completed_at = now()
    WHERE id = $1 AND tenant_id = $2 AND status = 'uploading'
    RETURNING """ + " " + OBJECT_COLUMNS;

  static final String DELETE_OBJECT = "DELETE FROM stored_objects WHERE id = $1 AND tenant_id = $2";

  static final String SET_OBJECT_TIER = """
    UPDATE stored_objects SET tier = $3, tier_changed_at = now(),
      rehydrated_at = CASE WHEN tier = 'archive' AND $3 <> 'archive' THEN now() ELSE rehydrated_at END,
      rehydrate_requested_at = CASE WHEN $3 = 'archive' THEN NULL ELSE rehydrate_requested_at END
    WHERE id = $1 AND tenant_id = $2""";

  static final String MARK_REHYDRATE_REQUESTED = """
    UPDATE stored_objects SET rehydrate_requested_at = coalesce(rehydrate_requested_at, now())
    WHERE id = $1 AND tenant_id = $2 AND tier = 'archive'""";

  static final String OBJECT_TENANTS = "SELECT DISTINCT tenant_id FROM stored_objects ORDER BY tenant_id";

  /** Past retention: deleted, whatever their tier or state. $3 = retention days. */
  static final String OBJECTS_TO_DELETE = "SELECT " + OBJECT_COLUMNS + """
     FROM stored_objects WHERE tenant_id = $1 AND created_at < now() - make_interval(days => $3::int)
    ORDER BY created_at LIMIT $2""";

  /**
   * Due for archive: older than coolDays ($3) and not archived; one brought back from the
   * archive stays out for (coolDays - hotDays) days ($4) after its rehydration.
   */
  static final String OBJECTS_TO_ARCHIVE = "SELECT " + OBJECT_COLUMNS + """
     FROM stored_objects WHERE tenant_id = $1 AND status = 'complete' AND tier <> 'archive'
      AND created_at < now() - make_interval(days => $3::int)
      AND (rehydrated_at IS NULL OR rehydrated_at < now() - make_interval(days => $4::int))
    ORDER BY created_at LIMIT $2""";

  /** Due for cool: hot and older than hotDays ($3). */
  static final String OBJECTS_TO_COOL = "SELECT " + OBJECT_COLUMNS + """
     FROM stored_objects WHERE tenant_id = $1 AND status = 'complete' AND tier = 'hot'
      AND created_at < now() - make_interval(days => $3::int)
    ORDER BY created_at LIMIT $2""";

  static final String OBJECTS_REHYDRATING = "SELECT " + OBJECT_COLUMNS + """
     FROM stored_objects WHERE tenant_id = $1 AND tier = 'archive' AND rehydrate_requested_at IS NOT NULL
    ORDER BY rehydrate_requested_at LIMIT $2""";

  static final String STORAGE_BY_TENANT_TIER = """
    SELECT tenant_id, tier, count(*) AS objects, coalesce(sum(size_bytes), 0) AS bytes
    FROM stored_objects WHERE status = 'complete' GROUP BY tenant_id, tier""";
}

package data;

/** Every SQL statement of the recaps and of search, in one holder. */
final class RecapQueries {

  private RecapQueries() {
  }

  static final String SELECT_MEETING = """
    SELECT title, status, started_at, ended_at, created_at FROM meetings WHERE id = $1 AND tenant_id = $2""";

  static final String SELECT_PARTICIPANT_NAMES = """
    SELECT display_name FROM participants WHERE meeting_id = $1 AND tenant_id = $2 ORDER BY first_joined_at, user_id""";

  /** Final captions, each at the moment its utterance started (stored when it ended), and chat, in one timeline. */
  static final String SELECT_TIMELINE = """
    SELECT speaker, text, at, source, lang FROM (
      SELECT s.speaker_name AS speaker, s.text,
        s.created_at - make_interval(secs => greatest(s.end_ms - s.start_ms, 0) / 1000.0) AS at, 'transcript' AS source,
        s.start_ms AS tiebreak, s.lang
      FROM transcript_segments s WHERE s.meeting_id = $1 AND s.tenant_id = $2 AND s.text <> ''
      UNION ALL
      SELECT c.sender_name, c.text, c.created_at, 'chat', c.seq, NULL FROM chat_messages c
      WHERE c.meeting_id = $1 AND c.tenant_id = $2 AND c.text <> ''
    ) timeline ORDER BY at, source DESC, tiebreak LIMIT $3""";

  static final String SELECT_RECAP = """
    SELECT status, provider, lang, recap, created_at, updated_at FROM meeting_recaps WHERE meeting_id = $1 AND tenant_id = $2""";

  /**
   * Claims the writing of a recap: a new row, or a pending one left behind for ten minutes by a
   * writer that died. No row comes back when someone else holds it or it is written.
   */
  static final String CLAIM_RECAP = """
    INSERT INTO meeting_recaps (meeting_id, tenant_id, status) VALUES ($1, $2, 'pending')
    ON CONFLICT (meeting_id) DO UPDATE SET updated_at = now()
      WHERE meeting_recaps.status = 'pending' AND meeting_recaps.updated_at < now() - interval '10 minutes'
    RETURNING meeting_id""";

  static final String RELEASE_RECAP = "DELETE FROM meeting_recaps WHERE meeting_id = $1 AND tenant_id = $2 AND status = 'pending'";

  static final String STORE_RECAP = """
    UPDATE meeting_recaps SET status = 'ready', provider = $3, lang = $4, recap = $5, updated_at = now()
    WHERE meeting_id = $1 AND tenant_id = $2""";

  static final String DELETE_RECAP_ITEMS = "DELETE FROM recap_items WHERE meeting_id = $1 AND tenant_id = $2";

  static final String INSERT_RECAP_ITEM = """
    INSERT INTO recap_items (meeting_id, position, tenant_id, kind, text, speaker_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  /**
   * Full-text search over the tenant's transcripts, chat and recap items, in the meetings the caller
   * took part in ($3 true: all of the tenant's meetings). $2 goes through websearch_to_tsquery, which
   * reads any text as words, quoted phrases, "or" and "-word" and never fails on operators. Each hit
   * carries the recording (complete, started before the moment and not finished before it) that
   * shows its moment. $5 limit, $6 offset. The snippet is made for the page of hits only.
   */
  static final String SEARCH = """
    WITH q AS (SELECT websearch_to_tsquery('english', $2) AS query),
    visible AS (
      SELECT m.id, m.title, m.started_at FROM meetings m
      WHERE m.tenant_id = $1 AND ($3 OR EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = m.id AND p.user_id = $4))),
    hits AS (
      SELECT 'transcript' AS kind, s.meeting_id, s.speaker_id AS who_id, s.speaker_name AS who,
        s.created_at - make_interval(secs => greatest(s.end_ms - s.start_ms, 0) / 1000.0) AS at, s.text,
        ts_rank(s.search, q.query) AS rank
      FROM transcript_segments s, q WHERE s.tenant_id = $1 AND s.search @@ q.query
      UNION ALL
      SELECT 'chat', c.meeting_id, c.sender_id, c.sender_name, c.created_at, c.text, ts_rank(c.search, q.query)
      FROM chat_messages c, q WHERE c.tenant_id = $1 AND c.search @@ q.query
      UNION ALL
      SELECT 'recap', r.meeting_id, NULL, r.speaker_name, r.at, r.text, ts_rank(r.search, q.query)
      FROM recap_items r, q WHERE r.tenant_id = $1 AND r.search @@ q.query),
    page AS (
      SELECT h.*, v.title, v.started_at FROM hits h JOIN visible v ON v.id = h.meeting_id
      ORDER BY h.rank DESC, h.at DESC NULLS LAST, h.meeting_id, h.kind LIMIT $5 OFFSET $6)
    SELECT p.kind, p.meeting_id, p.title, p.started_at, p.who_id, p.who, p.at, p.rank,
      ts_headline('english', p.text, q.query, 'StartSel=**, StopSel=**, MaxFragments=2, MaxWords=30, MinWords=10') AS snippet,
      rec.id AS recording_id, rec.created_at AS recording_started_at
    FROM page p CROSS JOIN q
    LEFT JOIN LATERAL (
      SELECT o.id, o.created_at FROM stored_objects o
      WHERE o.tenant_id = $1 AND o.meeting_id = p.meeting_id AND o.kind = 'recording' AND o.status = 'complete'
        AND p.at IS NOT NULL AND o.created_at <= p.at AND (o.completed_at IS NULL OR o.completed_at >= p.at)
      ORDER BY o.created_at DESC LIMIT 1) rec ON true
    ORDER BY p.rank DESC, p.at DESC NULLS LAST, p.meeting_id, p.kind""";
}

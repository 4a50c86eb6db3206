package data;

/** The SQL of a meeting's collaboration: polls and their votes, and the whiteboard's operations. */
final class CollabSql {

  private CollabSql() {
  }

  /**
   * A poll in a meeting of the caller's tenant that has not ended. $1 id, $2 meeting, $3 tenant,
   * $4 question, $5 options, $6 anonymous, $7 multiple, $8 by, $9 the voter salt (anonymous only).
   */
  static final String INSERT_POLL = """
    INSERT INTO polls (id, meeting_id, tenant_id, question, options, anonymous, multiple, status, voter_salt, created_by)
    SELECT $1, m.id, m.tenant_id, $4, $5::jsonb, $6, $7, 'open', $9, $8
    FROM meetings m WHERE m.id = $2 AND m.tenant_id = $3 AND m.status <> 'ended'
    RETURNING id""";

  /** The voter key of user $4 for the poll row {@code p}: the user id, or for an anonymous poll the salted hash. */
  private static final String VOTER = "CASE WHEN p.anonymous THEN encode(sha256(p.voter_salt || convert_to($4, 'UTF8')), 'hex') ELSE $4 END";

  /**
   * One vote per person, replaced by a later one, while the poll is open; the poll's revision moves
   * with it (the row lock serialises a poll's votes and its closing: a close that commits first
   * wins, and the vote then finds no open poll). $1 poll, $2 meeting, $3 tenant, $4 voter's user
   * id, $5 voter's name, $6 choices.
   */
  static final String VOTE = """
    WITH p AS (UPDATE polls SET revision = revision + 1
               WHERE id = $1 AND meeting_id = $2 AND tenant_id = $3 AND status = 'open'
               RETURNING id, anonymous, voter_salt)
    INSERT INTO poll_votes (poll_id, voter, voter_name, choices)
    SELECT p.id, %s, CASE WHEN p.anonymous THEN NULL ELSE $5 END, $6::int[] FROM p
    ON CONFLICT (poll_id, voter) DO UPDATE SET choices = EXCLUDED.choices, voter_name = EXCLUDED.voter_name, voted_at = now()
    RETURNING poll_id""".formatted(VOTER);

  /** Closing erases an anonymous poll's salt. $1 poll, $2 meeting, $3 tenant, $4 by. */
  static final String CLOSE_POLL = """
    UPDATE polls SET status = 'closed', closed_at = now(), closed_by = $4, voter_salt = NULL, revision = revision + 1
    WHERE id = $1 AND meeting_id = $2 AND tenant_id = $3 AND status = 'open' RETURNING id""";

  /** At a meeting's end. $1 meeting, $2 tenant. */
  static final String CLOSE_ALL_POLLS = """
    UPDATE polls SET status = 'closed', closed_at = now(), closed_by = 'parley', voter_salt = NULL, revision = revision + 1
    WHERE meeting_id = $1 AND tenant_id = $2 AND status = 'open'""";

  /**
   * A meeting's polls (or one, $3) with their results: voters, votes per option ({@code counts},
   * option index to count) and the choices of user $4 ({@code mine}). $1 tenant, $2 meeting.
   */
  static final String POLLS = """
    SELECT p.id, p.meeting_id, p.question, p.options, p.anonymous, p.multiple, p.status, p.created_by, p.created_at,
      p.closed_at, p.closed_by, p.revision,
      (SELECT count(*) FROM poll_votes v WHERE v.poll_id = p.id) AS voters,
      (SELECT coalesce(jsonb_object_agg(c, n), '{}'::jsonb) FROM
        (SELECT c, count(*) AS n FROM poll_votes v, unnest(v.choices) AS c WHERE v.poll_id = p.id GROUP BY c) AS per) AS counts,
      (SELECT v.choices FROM poll_votes v WHERE v.poll_id = p.id AND v.voter = %s) AS mine
    FROM polls p WHERE p.tenant_id = $1 AND p.meeting_id = $2 AND ($3::uuid IS NULL OR p.id = $3)
    ORDER BY p.created_at, p.id""".formatted(VOTER);

  /** Who voted what in a named poll (an anonymous one has no voter ids). $1 poll. */
  static final String NAMED_VOTES = """
    SELECT v.voter, v.voter_name, v.choices FROM poll_votes v JOIN polls p ON p.id = v.poll_id
    WHERE v.poll_id = $1 AND NOT p.anonymous ORDER BY v.voted_at, v.voter""";

  /**
   * Appends a whiteboard operation with the meeting's next seq while the sender is present (as
   * {@link SqlQueries#APPEND_CHAT}). $1 meeting, $2 tenant, $3 sender, $4 client id, $5 name, $6 op.
   */
  static final String APPEND_WHITEBOARD = """
    WITH next AS (
      UPDATE meetings SET whiteboard_seq = whiteboard_seq + 1
      WHERE id = $1 AND tenant_id = $2 AND status <> 'ended'
        AND EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = $1 AND p.user_id = $3 AND p.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM whiteboard_ops w WHERE w.meeting_id = $1 AND w.sender_id = $3 AND w.client_id = $4)
      RETURNING whiteboard_seq)
    INSERT INTO whiteboard_ops (meeting_id, seq, tenant_id, sender_id, sender_name, client_id, op)
    SELECT $1::uuid, next.whiteboard_seq, $2::text, $3::text, $5::text, $4::text, $6::jsonb FROM next
    RETURNING seq, created_at""";

  static final String WHITEBOARD_BY_CLIENT_ID = """
    SELECT seq, sender_id, sender_name, op, created_at FROM whiteboard_ops
    WHERE meeting_id = $1 AND sender_id = $2 AND client_id = $3""";

  static final String WHITEBOARD_HISTORY = """
    SELECT seq, sender_id, sender_name, op, created_at FROM whiteboard_ops
    WHERE meeting_id = $1 AND tenant_id = $2 AND seq > $3 ORDER BY seq LIMIT $4""";

  /**
   * The sender's latest stroke, shape or text since the last clear that no erase or undo took away:
   * what their undo takes away. $1 meeting, $2 sender.
   */
  static final String UNDO_TARGET = """
    SELECT o.seq FROM whiteboard_ops o
    WHERE o.meeting_id = $1 AND o.sender_id = $2 AND o.op->>'type' IN ('stroke', 'shape', 'text')
      AND o.seq > coalesce((SELECT max(c.seq) FROM whiteboard_ops c WHERE c.meeting_id = $1 AND c.op->>'type' = 'clear'), 0)
      AND NOT EXISTS (SELECT 1 FROM whiteboard_ops r WHERE r.meeting_id = $1 AND r.op ? 'target'
                      AND (r.op->>'target')::bigint = o.seq)
    ORDER BY o.seq DESC LIMIT 1""";
}

package data;

/** The SQL of the host's controls: the lobby, removals, roles, room settings and the audit log. */
final class RoomSql {

  private RoomSql() {
  }

  /** The caller's standing in a meeting (always one row): their participant row and the lobby's word on them. $1 meeting, $2 user. */
  static final String STANDING = """
    SELECT p.role, p.left_at, (p.user_id IS NOT NULL) AS member, a.status AS admission
    FROM (SELECT 1) AS one
      LEFT JOIN participants p ON p.meeting_id = $1 AND p.user_id = $2
      LEFT JOIN meeting_admissions a ON a.meeting_id = $1 AND a.user_id = $2""";

  static final String COUNT_WAITING = "SELECT count(*) AS n FROM meeting_admissions WHERE meeting_id = $1 AND status = 'waiting'";

  /** Waits in the lobby; a second knock keeps the first one's place in the queue. */
  static final String KNOCK = """
    INSERT INTO meeting_admissions (meeting_id, tenant_id, user_id, display_name, status, requested_at)
    VALUES ($1, $2, $3, $4, 'waiting', now())
    ON CONFLICT (meeting_id, user_id) DO UPDATE SET display_name = EXCLUDED.display_name,
      requested_at = CASE WHEN meeting_admissions.status = 'waiting' THEN meeting_admissions.requested_at ELSE now() END,
      status = 'waiting'""";

  static final String LIST_WAITING = """
    SELECT user_id, display_name, requested_at FROM meeting_admissions
    WHERE meeting_id = $1 AND tenant_id = $2 AND status = 'waiting' ORDER BY requested_at, user_id""";

  static final String SELECT_ADMISSION = """
    SELECT status, display_name FROM meeting_admissions WHERE meeting_id = $1 AND user_id = $2 FOR UPDATE""";

  /** A host's decision about someone: admitted, denied or removed. $1 meeting, $2 tenant, $3 user, $4 name, $5 status, $6 by. */
  static final String DECIDE = """
    INSERT INTO meeting_admissions (meeting_id, tenant_id, user_id, display_name, status, decided_at, decided_by)
    VALUES ($1, $2, $3, $4, $5, now(), $6)
    ON CONFLICT (meeting_id, user_id) DO UPDATE SET status = EXCLUDED.status, decided_at = now(),
      decided_by = EXCLUDED.decided_by""";

  static final String ADMIT_ALL_WAITING = """
    UPDATE meeting_admissions SET status = 'admitted', decided_at = now(), decided_by = $2
    WHERE meeting_id = $1 AND status = 'waiting' RETURNING user_id, display_name""";

  static final String SELECT_PARTICIPANT = """
    SELECT user_id, display_name, role, left_at FROM participants WHERE meeting_id = $1 AND user_id = $2 FOR UPDATE""";

  static final String SET_ROLE = "UPDATE participants SET role = $3 WHERE meeting_id = $1 AND user_id = $2";

  /** Out of the meeting, and no longer a co-host should a host let them back in. */
  static final String REMOVE_PARTICIPANT = """
    UPDATE participants SET left_at = coalesce(left_at, now()), role = 'participant' WHERE meeting_id = $1 AND user_id = $2""";

  static final String PRESENT_PARTICIPANTS = """
    SELECT user_id, display_name, role FROM participants
    WHERE meeting_id = $1 AND tenant_id = $2 AND left_at IS NULL ORDER BY first_joined_at, user_id""";

  /** $3 title, $4 lobby, $5 locked: each null to leave it as it is. */
  static final String UPDATE_SETTINGS = """
    UPDATE meetings SET title = coalesce($3::text, title), lobby = coalesce($4::boolean, lobby),
      locked = coalesce($5::boolean, locked)
    WHERE id = $1 AND tenant_id = $2""";

  static final String INSERT_AUDIT = """
    INSERT INTO meeting_audit (meeting_id, tenant_id, actor_id, actor_name, action, target_id, target_name, details)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

  static final String LIST_AUDIT = """
    SELECT id, at, actor_id, actor_name, action, target_id, target_name, details FROM meeting_audit
    WHERE tenant_id = $1 AND meeting_id = $2 AND id > $3 ORDER BY id LIMIT $4""";
}

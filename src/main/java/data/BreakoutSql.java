package data;

/** The SQL of breakout rooms: child meetings ({@code meetings.parent_id}) and who was sent where. */
final class BreakoutSql {

  private BreakoutSql() {
  }

  /** Rooms of a meeting still open. $1 parent. */
  static final String COUNT_OPEN = "SELECT count(*) AS n FROM meetings WHERE parent_id = $1 AND status <> 'ended'";

  /** Who is in the meeting now, in the order they first came. $1 meeting. */
  static final String PRESENT = """
    SELECT user_id, display_name, role FROM participants
    WHERE meeting_id = $1 AND left_at IS NULL ORDER BY first_joined_at, user_id""";

  /** A room: a child meeting with the parent's tenant and host. */
  static final String INSERT_ROOM = """
    INSERT INTO meetings (id, tenant_id, title, host_id, status, lobby, locked, parent_id, breakout_ends_at)
    VALUES ($1, $2, $3, $4, 'scheduled', false, false, $5,
      CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(mins => $6::int) END)""";

  static final String INSERT_ASSIGNMENT = """
    INSERT INTO breakout_assignments (room_id, parent_id, tenant_id, user_id, display_name) VALUES ($1, $2, $3, $4, $5)""";

  /** The rooms of a meeting, oldest first: the open ones, or (none open) the last set closed. $1 parent, $2 tenant. */
  static final String ROOMS = """
    SELECT id, title, status, breakout_ends_at, breakout_closes_at, created_at, ended_at FROM meetings
    WHERE parent_id = $1 AND tenant_id = $2 ORDER BY created_at, title, id""";

  /** Who was sent to each of a meeting's rooms. $1 parent. */
  static final String ASSIGNMENTS = "SELECT room_id, user_id, display_name FROM breakout_assignments WHERE parent_id = $1 ORDER BY display_name, user_id";

  /** Who is in each of a meeting's rooms now. $1 parent. */
  static final String PRESENT_IN_ROOMS = """
    SELECT p.meeting_id, p.user_id, p.display_name, p.role FROM participants p JOIN meetings m ON m.id = p.meeting_id
    WHERE m.parent_id = $1 AND p.left_at IS NULL ORDER BY p.joined_at, p.user_id""";

  /** A room's standing for a joiner: the parent's host, their role in the parent, whether they were sent here. $1 room, $2 parent, $3 user. */
  static final String ROOM_STANDING = """
    SELECT p.host_id, pp.role AS parent_role,
      EXISTS (SELECT 1 FROM breakout_assignments a WHERE a.room_id = $1 AND a.user_id = $3) AS assigned
    FROM meetings p LEFT JOIN participants pp ON pp.meeting_id = p.id AND pp.user_id = $3
    WHERE p.id = $2""";

  /** Whether someone was sent from this meeting to one of its rooms (they come back past the lobby and lock). $1 parent, $2 user. */
  static final String WAS_SENT_OUT = "SELECT EXISTS (SELECT 1 FROM breakout_assignments WHERE parent_id = $1 AND user_id = $2) AS sent";

  /*
   * The statements below that change several meetings' rows lock them in id order first (the CTE's
   * ORDER BY id FOR UPDATE), as chat's group commits do (SqlQueries.APPEND_CHAT_MEETINGS): two
   * statements that lock rows of the same meetings then never wait on each other in a cycle.
   */

  /** A host closes all: each open room closes after the countdown (or sooner, if it was closing already). $1 parent, $2 tenant, $3 seconds. */
  static final String START_CLOSING = """
    WITH rooms AS (
      SELECT id FROM meetings WHERE parent_id = $1 AND tenant_id = $2 AND status <> 'ended' ORDER BY id FOR UPDATE)
    UPDATE meetings m
    SET breakout_closes_at = LEAST(coalesce(m.breakout_closes_at, 'infinity'), now() + make_interval(secs => $3::int))
    FROM rooms WHERE m.id = rooms.id
    RETURNING m.id, m.breakout_closes_at""";

  /** Rooms whose time ran out start their countdown. $1 seconds. */
  static final String COUNTDOWN_DUE = """
    WITH due AS (
      SELECT id FROM meetings
      WHERE parent_id IS NOT NULL AND status <> 'ended' AND breakout_closes_at IS NULL AND breakout_ends_at <= now()
      ORDER BY id FOR UPDATE)
    UPDATE meetings m SET breakout_closes_at = now() + make_interval(secs => $1::int)
    FROM due WHERE m.id = due.id
    RETURNING m.id, m.parent_id, m.tenant_id, m.breakout_closes_at""";

  /** Rooms whose countdown is over, or whose main meeting ended, end now (one sweeper wins each). */
  static final String END_DUE = """
    WITH due AS (
      SELECT c.id FROM meetings c JOIN meetings p ON c.parent_id = p.id
      WHERE c.status <> 'ended' AND (c.breakout_closes_at <= now() OR p.status = 'ended')
      ORDER BY c.id FOR UPDATE OF c)
    UPDATE meetings c SET status = 'ended', ended_at = now()
    FROM due WHERE c.id = due.id AND c.status <> 'ended'
    RETURNING c.id, c.parent_id, c.tenant_id, c.title, c.started_at, c.ended_at""";

  /** Everyone still in the rooms leaves them. $1 room ids. */
  static final String LEAVE_ROOMS = """
    UPDATE participants SET left_at = now() WHERE meeting_id = ANY($1) AND left_at IS NULL RETURNING meeting_id, user_id, display_name""";

  static final String CLOSE_ROOM_SESSIONS = "UPDATE participant_sessions SET left_at = now() WHERE meeting_id = ANY($1) AND left_at IS NULL";

  /** The open rooms of a meeting. $1 parent, $2 tenant. */
  static final String OPEN_ROOMS = "SELECT id FROM meetings WHERE parent_id = $1 AND tenant_id = $2 AND status <> 'ended' ORDER BY created_at, title, id";
}

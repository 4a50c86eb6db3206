package data;

/** The SQL of a meeting's shared notes: its ordered Automerge updates. */
final class NotesSql {

  private NotesSql() {
  }

  /**
   * Appends an update with the meeting's next notes seq while the sender is present (as
   * {@link CollabSql#APPEND_WHITEBOARD}). $1 meeting, $2 tenant, $3 sender, $4 client id, $5 name, $6 changes.
   */
  static final String APPEND = """
    WITH next AS (
      UPDATE meetings SET notes_seq = notes_seq + 1
      WHERE id = $1 AND tenant_id = $2 AND status <> 'ended'
        AND EXISTS (SELECT 1 FROM participants p WHERE p.meeting_id = $1 AND p.user_id = $3 AND p.left_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM notes_updates n WHERE n.meeting_id = $1 AND n.sender_id = $3 AND n.client_id = $4)
      RETURNING notes_seq)
    INSERT INTO notes_updates (meeting_id, seq, tenant_id, sender_id, sender_name, client_id, changes)
    SELECT $1::uuid, next.notes_seq, $2::text, $3::text, $5::text, $4::text, $6::bytea FROM next
    RETURNING seq, created_at""";

  static final String BY_CLIENT_ID = """
    SELECT seq, sender_id, sender_name, changes, created_at FROM notes_updates
    WHERE meeting_id = $1 AND sender_id = $2 AND client_id = $3""";

  static final String HISTORY = """
    SELECT seq, sender_id, sender_name, changes, created_at FROM notes_updates
    WHERE meeting_id = $1 AND tenant_id = $2 AND seq > $3 ORDER BY seq LIMIT $4""";
}

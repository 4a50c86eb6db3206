-- Shared notes: one collaborative text per meeting, an Automerge document. Each update (one or
-- more Automerge changes, as a client or the server encodes them) is stored in order with a
-- gapless per-meeting seq taken from meetings.notes_seq by the inserting statement (as chat's and
-- the whiteboard's are); an update is idempotent on (sender, client_id). The document is the
-- server's fixed first change (the empty text, see handlers/collab/SharedNotes) followed by every
-- update in seq order; the text at a meeting's end is exported as notes.md (kind notes).
ALTER TABLE meetings ADD COLUMN notes_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE notes_updates (
  meeting_id   uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  tenant_id    text NOT NULL,
  sender_id    text NOT NULL,
  sender_name  text NOT NULL,
  client_id    text NOT NULL,
  changes      bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, seq),
  UNIQUE (meeting_id, sender_id, client_id)
);

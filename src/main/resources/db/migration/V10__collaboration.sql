-- Collaboration in a meeting: polls with their votes, and the whiteboard's ordered operations.
-- What a meeting's end exports (poll results, the rendered board) is listed with its files.

ALTER TABLE stored_objects DROP CONSTRAINT stored_objects_kind_check;
ALTER TABLE stored_objects ADD CONSTRAINT stored_objects_kind_check
  CHECK (kind IN ('recording', 'file', 'transcript', 'polls', 'whiteboard', 'notes'));

-- A poll: its options are a JSON array of strings, in order; a vote names options by index.
-- An anonymous poll keeps a random salt while it is open, and a vote's voter is the SHA-256 of
-- salt and user id (so a person votes once and may change their vote); closing it erases the
-- salt, after which nothing links a vote to anyone. A named poll's voter is the user id.
CREATE TABLE polls (
  id           uuid PRIMARY KEY,
  meeting_id   uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  question     text NOT NULL,
  options      jsonb NOT NULL,
  anonymous    boolean NOT NULL,
  multiple     boolean NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'closed')),
  voter_salt   bytea,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  closed_at    timestamptz,
  closed_by    text
);
CREATE INDEX polls_meeting ON polls (tenant_id, meeting_id, created_at);

CREATE TABLE poll_votes (
  poll_id     uuid NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
  voter       text NOT NULL,
  voter_name  text,
  choices     int[] NOT NULL CHECK (cardinality(choices) > 0),
  voted_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (poll_id, voter)
);

-- The whiteboard: seq is gapless per meeting, taken from meetings.whiteboard_seq by the inserting
-- statement (as chat's is); an operation is idempotent on (sender, client_id).
ALTER TABLE meetings ADD COLUMN whiteboard_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE whiteboard_ops (
  meeting_id   uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  tenant_id    text NOT NULL,
  sender_id    text NOT NULL,
  sender_name  text NOT NULL,
  client_id    text NOT NULL,
  op           jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, seq),
  UNIQUE (meeting_id, sender_id, client_id)
);
-- What an erase or an undo took away ({"target": seq}): read when undoing and replaying.
CREATE INDEX whiteboard_ops_targets ON whiteboard_ops (meeting_id, ((op->>'target')::bigint)) WHERE op ? 'target';

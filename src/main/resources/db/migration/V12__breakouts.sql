-- Breakout rooms: each is a child meeting of the meeting it was opened from (parent_id, same
-- tenant), with the timer and the closing countdown on the room itself.
ALTER TABLE meetings ADD COLUMN parent_id uuid REFERENCES meetings(id) ON DELETE CASCADE;
-- When the room's time runs out (durationMinutes; null without a timer), and when it closes
-- (set when a host closes all, or when the time ran out: the countdown's end).
ALTER TABLE meetings ADD COLUMN breakout_ends_at timestamptz;
ALTER TABLE meetings ADD COLUMN breakout_closes_at timestamptz;
CREATE INDEX meetings_breakouts ON meetings (parent_id, created_at) WHERE parent_id IS NOT NULL;
-- What the sweep looks at every second: open rooms only.
CREATE INDEX meetings_open_breakouts ON meetings (breakout_closes_at, breakout_ends_at)
  WHERE parent_id IS NOT NULL AND status <> 'ended';

-- Who was sent to which room (a host may visit any room without being assigned). Someone assigned
-- to a room of a meeting comes back to that meeting past its lobby and lock.
CREATE TABLE breakout_assignments (
  room_id       uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  parent_id     uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id     text NOT NULL,
  user_id       text NOT NULL,
  display_name  text NOT NULL,
  PRIMARY KEY (room_id, user_id)
);
CREATE INDEX breakout_assignments_parent ON breakout_assignments (parent_id, user_id);

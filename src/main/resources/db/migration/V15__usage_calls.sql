-- A row of ai_usage may stand for several calls of one kind: free safety checks (the built-in
-- detector runs on every chat message) are written as one row per tenant, meeting, provider and
-- batch instead of one row, and one commit, per message. The usage report sums calls.
ALTER TABLE ai_usage ADD COLUMN calls integer NOT NULL DEFAULT 1 CHECK (calls >= 1);

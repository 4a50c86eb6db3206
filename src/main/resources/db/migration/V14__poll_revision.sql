-- A poll's revision moves with every vote and with its closing, in the same transaction: of two
-- results read after commits, the one with the higher revision is the newer, whichever arrives first.
ALTER TABLE polls ADD COLUMN revision bigint NOT NULL DEFAULT 0;

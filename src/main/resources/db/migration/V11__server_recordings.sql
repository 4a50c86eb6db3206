-- Recordings made by the server (through the SFU): one row per recording, from "start" to the
-- stored file. The row is also the processing job: on stop it becomes 'processing' and one node
-- claims it (claimed_by/claimed_at, FOR UPDATE SKIP LOCKED); a claim whose node stopped
-- refreshing it (claimed_at older than the stale setting) is claimed again, so a restart resumes.
-- When ready, object_id is the stored_objects row (same id) holding the composed file, and
-- captions_id the WebVTT beside it (a 'transcript' object), if anything was captioned.
CREATE TABLE server_recordings (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL,
  meeting_id       uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  status           text NOT NULL CHECK (status IN ('recording', 'processing', 'ready', 'failed')),
  format           text NOT NULL CHECK (format IN ('mp4', 'webm', 'audio')),
  source_dir       text NOT NULL,
  started_by       text NOT NULL,
  started_by_name  text NOT NULL,
  started_at       timestamptz NOT NULL DEFAULT now(),
  stopped_at       timestamptz,
  percent          integer NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 100),
  attempts         integer NOT NULL DEFAULT 0,
  reason           text,
  claimed_by       text,
  claimed_at       timestamptz,
  duration_ms      bigint,
  object_id        uuid,
  captions_id      uuid,
  ready_at         timestamptz
);
-- One recording at a time per meeting.
CREATE UNIQUE INDEX server_recordings_one_active ON server_recordings (tenant_id, meeting_id) WHERE status = 'recording';
CREATE INDEX server_recordings_meeting ON server_recordings (tenant_id, meeting_id, started_at DESC);
CREATE INDEX server_recordings_jobs ON server_recordings (stopped_at) WHERE status = 'processing';

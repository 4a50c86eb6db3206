-- Recordings, shared files and exported transcripts kept in the blob store: one row per object,
-- written once the bytes are safely stored (or, for a recording uploaded in chunks, when its
-- first chunk is announced). Only 'complete' rows are listed; the lifecycle pass keeps the tier
-- column in step with the store and deletes rows with their blobs after the retention period.
CREATE TABLE stored_objects (
  id                uuid PRIMARY KEY,
  tenant_id         text NOT NULL,
  meeting_id        uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('recording', 'file', 'transcript')),
  blob_key          text NOT NULL UNIQUE,
  name              text NOT NULL,
  content_type      text NOT NULL,
  size_bytes        bigint NOT NULL DEFAULT 0 CHECK (size_bytes >= 0),
  sha256            text,
  uploaded_by       text NOT NULL,
  uploaded_by_name  text NOT NULL,
  status            text NOT NULL CHECK (status IN ('uploading', 'complete')),
  tier              text NOT NULL DEFAULT 'hot' CHECK (tier IN ('hot', 'cool', 'archive')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  completed_at      timestamptz,
  tier_changed_at   timestamptz NOT NULL DEFAULT now(),
  rehydrate_requested_at timestamptz,
  rehydrated_at     timestamptz
);
CREATE INDEX stored_objects_meeting ON stored_objects (tenant_id, meeting_id, kind, created_at DESC);
CREATE INDEX stored_objects_lifecycle ON stored_objects (tenant_id, tier, created_at);

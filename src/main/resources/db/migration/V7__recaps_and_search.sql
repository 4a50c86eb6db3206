-- Meeting recaps and full-text search over transcripts, chat and recaps (issue 14).

-- A meeting's recap: written when the meeting ends (status 'pending' while it is being written, so
-- that two writers never both call the provider), kept with the transcript.
CREATE TABLE meeting_recaps (
  meeting_id   uuid PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'ready')),
  provider     text,
  lang         text,
  recap        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One row per key point, decision and action item, for search (each keeps its moment).
CREATE TABLE recap_items (
  meeting_id   uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  position     int NOT NULL,
  tenant_id    text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('keyPoint', 'decision', 'actionItem')),
  text         text NOT NULL,
  speaker_name text,
  at           timestamptz,
  search       tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED,
  PRIMARY KEY (meeting_id, position)
);
CREATE INDEX recap_items_search ON recap_items USING gin (search);
CREATE INDEX recap_items_tenant ON recap_items (tenant_id, meeting_id);

ALTER TABLE transcript_segments
  ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED;
CREATE INDEX transcript_segments_search ON transcript_segments USING gin (search);
CREATE INDEX transcript_segments_tenant ON transcript_segments (tenant_id, meeting_id);

ALTER TABLE chat_messages
  ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text)) STORED;
CREATE INDEX chat_messages_search ON chat_messages USING gin (search);
CREATE INDEX chat_messages_tenant ON chat_messages (tenant_id, meeting_id);

-- Recaps are metered like the other AI services.
ALTER TABLE ai_usage DROP CONSTRAINT IF EXISTS ai_usage_service_check;
ALTER TABLE ai_usage ADD CONSTRAINT ai_usage_service_check
  CHECK (service IN ('stt', 'translation', 'safety', 'summary'));

-- Final caption segments (the transcript) and AI metering.

CREATE TABLE transcript_segments (
  meeting_id    uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  segment_id    text NOT NULL,
  tenant_id     text NOT NULL,
  speaker_id    text NOT NULL,
  speaker_name  text NOT NULL,
  lang          text NOT NULL,
  text          text NOT NULL,
  start_ms      bigint NOT NULL,
  end_ms        bigint NOT NULL,
  translations  jsonb NOT NULL DEFAULT '{}'::jsonb,
  redacted      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, segment_id)
);
CREATE INDEX transcript_segments_order ON transcript_segments (meeting_id, created_at, start_ms);

-- One row per metered AI call: audio seconds, characters translated, safety checks.
CREATE TABLE ai_usage (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL,
  meeting_id  uuid,
  service     text NOT NULL CHECK (service IN ('stt', 'translation', 'safety')),
  provider    text NOT NULL,
  units       double precision NOT NULL,
  unit        text NOT NULL,
  cost_usd    double precision NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_usage_tenant_time ON ai_usage (tenant_id, created_at);

-- The host's control of the room: lobby and lock on the meeting, co-hosts, the lobby's waiting list
-- and removals, an append-only audit log, and tenant webhooks with their delivery log.

ALTER TABLE meetings ADD COLUMN lobby boolean NOT NULL DEFAULT false;
ALTER TABLE meetings ADD COLUMN locked boolean NOT NULL DEFAULT false;

ALTER TABLE participants DROP CONSTRAINT participants_role_check;
ALTER TABLE participants ADD CONSTRAINT participants_role_check CHECK (role IN ('host', 'cohost', 'participant'));

-- One row per person who knocked or whom a host decided about: waiting in the lobby, admitted,
-- denied, or removed (a removed person's join is refused until a host admits them again).
CREATE TABLE meeting_admissions (
  meeting_id    uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id     text NOT NULL,
  user_id       text NOT NULL,
  display_name  text NOT NULL,
  status        text NOT NULL CHECK (status IN ('waiting', 'admitted', 'denied', 'removed')),
  requested_at  timestamptz,
  decided_at    timestamptz,
  decided_by    text,
  PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_admissions_waiting ON meeting_admissions (meeting_id, requested_at) WHERE status = 'waiting';

-- Who did what to whom and when. Append-only: the database refuses updates and deletes.
CREATE TABLE meeting_audit (
  id           bigserial PRIMARY KEY,
  meeting_id   uuid NOT NULL REFERENCES meetings(id),
  tenant_id    text NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_id     text NOT NULL,
  actor_name   text,
  action       text NOT NULL,
  target_id    text,
  target_name  text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX meeting_audit_meeting ON meeting_audit (tenant_id, meeting_id, id);

CREATE FUNCTION meeting_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'meeting_audit is append-only';
END
$$;
CREATE TRIGGER meeting_audit_no_changes BEFORE UPDATE OR DELETE ON meeting_audit
  FOR EACH ROW EXECUTE FUNCTION meeting_audit_append_only();

-- Webhooks a tenant's administrators configured, and every delivery of every event to them.
CREATE TABLE webhooks (
  id           uuid PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants(id),
  url          text NOT NULL,
  events       text[] NOT NULL,
  secret       text NOT NULL,
  description  text,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  tenant_id        text NOT NULL,
  webhook_id       uuid NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  event            text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_status      int,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_tenant ON webhook_deliveries (tenant_id, created_at DESC, id DESC);

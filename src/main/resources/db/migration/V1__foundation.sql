-- Parley foundation schema: tenants, users, meetings, participants, chat.
-- Every row carries its tenant; every query filters on it.

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  config      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  tenant_id     text NOT NULL REFERENCES tenants(id),
  id            text NOT NULL,
  display_name  text NOT NULL,
  email         text,
  locale        text,
  roles         text[] NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE meetings (
  id            uuid PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id),
  title         text NOT NULL,
  host_id       text NOT NULL,
  status        text NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
  scheduled_at  timestamptz,
  started_at    timestamptz,
  ended_at      timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  chat_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX meetings_tenant_created ON meetings (tenant_id, created_at DESC, id DESC);
CREATE INDEX meetings_tenant_status ON meetings (tenant_id, status, created_at DESC, id DESC);

-- Membership: one row per person per meeting; joined_at/left_at are the latest visit.
CREATE TABLE participants (
  meeting_id       uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id        text NOT NULL,
  user_id          text NOT NULL,
  display_name     text NOT NULL,
  role             text NOT NULL CHECK (role IN ('host', 'participant')),
  first_joined_at  timestamptz NOT NULL,
  joined_at        timestamptz NOT NULL,
  left_at          timestamptz,
  PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX participants_tenant_user ON participants (tenant_id, user_id);

-- Every visit, for meeting metadata (who was there when) and meeting minutes.
CREATE TABLE participant_sessions (
  id          bigserial PRIMARY KEY,
  meeting_id  uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  tenant_id   text NOT NULL,
  user_id     text NOT NULL,
  joined_at   timestamptz NOT NULL,
  left_at     timestamptz
);
CREATE INDEX participant_sessions_meeting ON participant_sessions (meeting_id, user_id, joined_at);

-- Chat: seq is gapless per meeting because it is taken from meetings.chat_seq inside the
-- inserting transaction (the row lock serialises senders; a rollback returns the number).
CREATE TABLE chat_messages (
  meeting_id   uuid NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  id           uuid NOT NULL UNIQUE,
  tenant_id    text NOT NULL,
  sender_id    text NOT NULL,
  sender_name  text NOT NULL,
  client_id    text NOT NULL,
  text         text NOT NULL,
  moderation   jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (meeting_id, seq),
  UNIQUE (meeting_id, sender_id, client_id)
);

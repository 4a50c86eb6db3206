-- Budgets that hold: each tenant's AI cost month to date (UTC calendar months), kept up to date by
-- the same statement that meters a call with a cost (ai_usage), the level reached (ok, warning at
-- ai.budget.warnRatio, exhausted at 100 %), and every change of level, for the tenant's admins.

CREATE TABLE ai_budget_months (
  tenant_id         text NOT NULL,
  month             date NOT NULL,
  spent_usd         double precision NOT NULL DEFAULT 0,
  level             text NOT NULL DEFAULT 'ok' CHECK (level IN ('ok', 'warning', 'exhausted')),
  level_changed_at  timestamptz,
  PRIMARY KEY (tenant_id, month)
);

-- What was metered before this migration counts too.
INSERT INTO ai_budget_months (tenant_id, month, spent_usd)
SELECT tenant_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, sum(cost_usd)
FROM ai_usage WHERE cost_usd > 0 GROUP BY 1, 2;

CREATE TABLE ai_budget_events (
  id          bigserial PRIMARY KEY,
  tenant_id   text NOT NULL,
  month       date NOT NULL,
  level       text NOT NULL CHECK (level IN ('ok', 'warning', 'exhausted')),
  action      text NOT NULL,
  spent_usd   double precision NOT NULL,
  budget_usd  double precision NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ai_budget_events_tenant ON ai_budget_events (tenant_id, created_at DESC);

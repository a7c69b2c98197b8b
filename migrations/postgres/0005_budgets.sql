-- LLM token usage per tenant, user and day, and per-tenant budget overrides.

CREATE TABLE usage_daily (
    tenant_id text NOT NULL,
    user_id   text NOT NULL,
    day       text NOT NULL, -- YYYY-MM-DD (UTC)
    tokens    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, user_id, day)
);
CREATE INDEX usage_daily_day_idx ON usage_daily (tenant_id, day);

CREATE TABLE tenant_budgets (
    tenant_id      text PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    tenant_daily   bigint, -- NULL: the server default; 0: unlimited
    tenant_monthly bigint,
    user_daily     bigint,
    user_monthly   bigint,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE usage_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_daily
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

ALTER TABLE tenant_budgets ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_budgets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_budgets
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

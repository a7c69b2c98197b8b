-- LLM token usage per tenant, user and day, and per-tenant budget overrides.

CREATE TABLE usage_daily (
    tenant_id TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    day       TEXT NOT NULL,
    tokens    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, user_id, day)
) STRICT;
CREATE INDEX usage_daily_day_idx ON usage_daily (tenant_id, day);

CREATE TABLE tenant_budgets (
    tenant_id      TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    tenant_daily   INTEGER,
    tenant_monthly INTEGER,
    user_daily     INTEGER,
    user_monthly   INTEGER,
    updated_at     TEXT NOT NULL
) STRICT;

-- Model providers and personas (tenant-owned), and the wrapped data keys
-- that encrypt provider API keys.

CREATE TABLE providers (
    tenant_id      TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('ollama', 'openai', 'anthropic', 'google')),
    name           TEXT NOT NULL,
    base_url       TEXT NOT NULL DEFAULT '',
    api_key        TEXT,
    api_key_last4  TEXT NOT NULL DEFAULT '',
    enabled_models TEXT NOT NULL DEFAULT '[]',
    enabled        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX providers_name_key ON providers (tenant_id, lower(name));

CREATE TABLE personas (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    avatar        TEXT NOT NULL DEFAULT '',
    color         TEXT NOT NULL DEFAULT '',
    provider_id   TEXT NOT NULL,
    model         TEXT NOT NULL,
    system_prompt TEXT NOT NULL DEFAULT '',
    temperature   REAL,
    options       TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX personas_name_key ON personas (tenant_id, lower(name));
CREATE INDEX personas_provider_idx ON personas (tenant_id, provider_id);

CREATE TABLE secret_keys (
    id         TEXT PRIMARY KEY,
    wrapped    TEXT NOT NULL,
    master_id  TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

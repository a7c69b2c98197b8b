-- Model providers and personas (tenant-owned), and the data keys that
-- encrypt provider API keys (wrapped by the master key, which never
-- reaches the database).

CREATE TABLE providers (
    tenant_id      text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id             text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('ollama', 'openai', 'anthropic', 'google')),
    name           text NOT NULL,
    base_url       text NOT NULL DEFAULT '',
    api_key        text,             -- secret envelope, never clear text
    api_key_last4  text NOT NULL DEFAULT '',
    enabled_models text NOT NULL DEFAULT '[]', -- JSON array; empty = all
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX providers_name_key ON providers (tenant_id, lower(name));

CREATE TABLE personas (
    tenant_id     text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id            text NOT NULL,
    name          text NOT NULL,
    avatar        text NOT NULL DEFAULT '',
    color         text NOT NULL DEFAULT '',
    provider_id   text NOT NULL, -- a providers.id, or the built-in local Ollama
    model         text NOT NULL,
    system_prompt text NOT NULL DEFAULT '',
    temperature   double precision,
    options       text NOT NULL DEFAULT '{}', -- JSON object of llm options
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX personas_name_key ON personas (tenant_id, lower(name));
CREATE INDEX personas_provider_idx ON personas (tenant_id, provider_id);

CREATE TABLE secret_keys (
    id         text PRIMARY KEY,
    wrapped    text NOT NULL,
    master_id  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON providers
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

ALTER TABLE personas ENABLE ROW LEVEL SECURITY;
ALTER TABLE personas FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON personas
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

-- Key rotation visits every tenant; ids are all it may learn.
CREATE FUNCTION nyx_tenant_ids() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT t.id FROM public.tenants t ORDER BY t.id $$;
REVOKE ALL ON FUNCTION nyx_tenant_ids() FROM PUBLIC;

-- Tenants, the users mirror and memberships.
--
-- Isolation: every table with tenant rows has ENABLE + FORCE ROW LEVEL SECURITY
-- and a policy comparing the row's tenant to the transaction-local setting
-- app.tenant_id. The runtime role owns nothing and cannot bypass RLS.
-- Two narrow cross-tenant paths exist by nature:
--   * app.user_id (transaction-local) lets a user read their own memberships
--     and the tenants they belong to, and delete their own memberships;
--   * nyx_resolve_tenant() maps an exact id, slug or verified domain to an id.

CREATE TABLE tenants (
    id                        text PRIMARY KEY,
    slug                      text NOT NULL,
    name                      text NOT NULL,
    custom_domain             text,
    custom_domain_verified_at timestamptz,
    created_at                timestamptz NOT NULL DEFAULT now()
);
-- The registry's global uniqueness: these cannot lead with the tenant id.
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);
CREATE UNIQUE INDEX tenants_custom_domain_key ON tenants (custom_domain);

CREATE TABLE users (
    id         text PRIMARY KEY,
    email      text NOT NULL,
    name       text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_email_idx ON users (lower(email));

CREATE TABLE memberships (
    tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
-- The one index not led by tenant_id: it serves the user's own cross-tenant
-- "my memberships" path, which RLS confines to app.user_id.
CREATE INDEX memberships_user_lookup ON memberships (user_id, tenant_id);

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (
        id = (SELECT NULLIF(current_setting('app.tenant_id', true), ''))
        OR id IN (SELECT m.tenant_id FROM memberships m
                  WHERE m.user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    )
    WITH CHECK (id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
    USING (
        tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), ''))
        OR user_id = (SELECT NULLIF(current_setting('app.user_id', true), ''))
    )
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

-- The registry lookup runs as the schema owner. FORCE RLS applies to the owner
-- too, so the owner (the role running migrations) gets a read-only policy; the
-- runtime role never does and reaches the registry only through this function.
DO $$ BEGIN
    EXECUTE format('CREATE POLICY registry_lookup ON tenants FOR SELECT TO %I USING (true)', current_user);
END $$;

CREATE FUNCTION nyx_resolve_tenant(p_id text, p_slug text, p_domain text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT t.id FROM public.tenants t
    WHERE (p_id IS NOT NULL AND t.id = p_id)
       OR (p_slug IS NOT NULL AND t.slug = p_slug)
       OR (p_domain IS NOT NULL AND t.custom_domain = p_domain AND t.custom_domain_verified_at IS NOT NULL)
    LIMIT 1
$$;
REVOKE ALL ON FUNCTION nyx_resolve_tenant(text, text, text) FROM PUBLIC;

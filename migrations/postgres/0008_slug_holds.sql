-- Slug holds: a slug given up by a rename stays reserved for its tenant
-- until held_until (tenant.slug_hold), so old links and subdomains keep
-- reaching that tenant and no other tenant can take the name meanwhile.
-- Rows are the tenant's own (RLS on tenant_id); the registry reads them
-- across tenants only through the two SECURITY DEFINER functions below,
-- like nyx_resolve_tenant reads tenants.

CREATE TABLE slug_holds (
    tenant_id  text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    slug       text NOT NULL,
    held_until timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, slug)
);
-- The registry's lookup by slug; it cannot lead with the tenant id.
CREATE INDEX slug_holds_slug_idx ON slug_holds (slug, held_until);

ALTER TABLE slug_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE slug_holds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON slug_holds
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));
DO $$ BEGIN
    EXECUTE format('CREATE POLICY registry_lookup ON slug_holds FOR SELECT TO %I USING (true)', current_user);
END $$;

-- nyx_slug_holder names the tenant holding p_slug now, or NULL.
CREATE FUNCTION nyx_slug_holder(p_slug text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.tenant_id FROM public.slug_holds h
    WHERE h.slug = p_slug AND h.held_until > now()
    ORDER BY h.held_until DESC
    LIMIT 1
$$;
REVOKE ALL ON FUNCTION nyx_slug_holder(text) FROM PUBLIC;

-- A slug resolves to its current tenant, else to the tenant holding it.
CREATE OR REPLACE FUNCTION nyx_resolve_tenant(p_id text, p_slug text, p_domain text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT COALESCE(
        (SELECT t.id FROM public.tenants t
         WHERE (p_id IS NOT NULL AND t.id = p_id)
            OR (p_slug IS NOT NULL AND t.slug = p_slug)
            OR (p_domain IS NOT NULL AND t.custom_domain = p_domain AND t.custom_domain_verified_at IS NOT NULL)
         LIMIT 1),
        (SELECT h.tenant_id FROM public.slug_holds h
         WHERE p_slug IS NOT NULL AND h.slug = p_slug AND h.held_until > now()
         ORDER BY h.held_until DESC
         LIMIT 1))
$$;

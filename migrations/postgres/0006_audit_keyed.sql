-- The keyed audit chain (nyxcore/audit/v2). MACs are computed in Go under a
-- key derived from the master key; the schema only adds what verification
-- and the one-time re-seal of v1 chains need.
--
-- `nyxcore audit verify` must cover the logs of deleted tenants too, so it
-- lists tenant ids from audit_log itself. The runtime role learns ids only.
CREATE FUNCTION nyx_audit_tenant_ids() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT a.tenant_id FROM public.audit_log a ORDER BY a.tenant_id $$;
REVOKE ALL ON FUNCTION nyx_audit_tenant_ids() FROM PUBLIC;

-- FORCE RLS applies to the owner too: the function above (SECURITY DEFINER)
-- and `db migrate`'s re-seal read as the owner, which gets a read-only
-- policy; the runtime role never does.
DO $$ BEGIN
    EXECUTE format('CREATE POLICY audit_owner_read ON audit_log FOR SELECT TO %I USING (true)', current_user);
END $$;

-- Slug holds: a slug given up by a rename stays reserved for its tenant
-- until held_until (tenant.slug_hold), so old links and subdomains keep
-- reaching that tenant and no other tenant can take the name meanwhile.

CREATE TABLE slug_holds (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    held_until TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, slug)
) STRICT;
CREATE INDEX slug_holds_slug_idx ON slug_holds (slug, held_until);

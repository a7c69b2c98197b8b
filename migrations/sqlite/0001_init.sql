-- Tenants, the users mirror and memberships. SQLite has no row-level
-- security: the store/sqlite driver filters every tenant-owned statement by
-- tenant id, and store/storetest proves it.

CREATE TABLE tenants (
    id                        TEXT PRIMARY KEY,
    slug                      TEXT NOT NULL,
    name                      TEXT NOT NULL,
    custom_domain             TEXT,
    custom_domain_verified_at TEXT,
    created_at                TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX tenants_slug_key ON tenants (slug);
CREATE UNIQUE INDEX tenants_custom_domain_key ON tenants (custom_domain);

CREATE TABLE users (
    id         TEXT PRIMARY KEY,
    email      TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX users_email_idx ON users (lower(email));

CREATE TABLE memberships (
    tenant_id  TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT;
CREATE INDEX memberships_user_lookup ON memberships (user_id, tenant_id);

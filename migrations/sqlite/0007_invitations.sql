-- Invitations and account history (see the PostgreSQL migration). SQLite
-- has no RLS: the driver filters invitations by tenant, by the verified
-- address or by the token hash, and account events by user.

CREATE TABLE invitations (
    id          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    invited_by  TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT,
    declined_at TEXT,
    revoked_at  TEXT,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);
CREATE UNIQUE INDEX invitations_open_key ON invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_email_lookup ON invitations (email);

CREATE TABLE account_events (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    at         TEXT NOT NULL,
    action     TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    details    TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX account_events_user_idx ON account_events (user_id, at, id);

-- Membership needs consent: invitations a person accepts, and each user's
-- own account history (sign-ins and other account events), which no tenant
-- reads.
--
-- invitations is a tenant table (tenant_isolation as everywhere) with two
-- narrow extra read paths, both transaction-local:
--   * app.user_email: the signed-in user's VERIFIED address (the server sets
--     it only after checking verification) sees invitations addressed to it;
--   * app.invitation_token: the SHA-256 hex of an invitation secret sees
--     that one invitation (the secret has 256 bits; the hash is the key).
-- Writes still need app.tenant_id of the invitation's own tenant.

CREATE TABLE invitations (
    id          text NOT NULL,
    tenant_id   text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    email       text NOT NULL, -- normalised to lower case
    role        text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    invited_by  text NOT NULL,
    token_hash  text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by text,
    declined_at timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
-- The two indexes not led by tenant_id serve the invitee's narrow paths
-- (by token hash, by address), which RLS confines as described above.
CREATE UNIQUE INDEX invitations_token_key ON invitations (token_hash);
-- One open invitation per tenant and address: inviting again refreshes it.
CREATE UNIQUE INDEX invitations_open_key ON invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_email_lookup ON invitations (email);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
    USING (
        tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), ''))
        OR email = (SELECT NULLIF(current_setting('app.user_email', true), ''))
        OR token_hash = (SELECT NULLIF(current_setting('app.invitation_token', true), ''))
    )
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

-- An invitee may read the name and slug of a tenant that has an open
-- invitation for them (by verified address or token), to know who asks.
CREATE POLICY invitee_lookup ON tenants FOR SELECT
    USING (id IN (SELECT i.tenant_id FROM invitations i
                  WHERE i.accepted_at IS NULL AND i.declined_at IS NULL AND i.revoked_at IS NULL
                    AND (i.email = (SELECT NULLIF(current_setting('app.user_email', true), ''))
                         OR i.token_hash = (SELECT NULLIF(current_setting('app.invitation_token', true), '')))));

-- A user's account history. Not tenant-owned: only the user's own scope
-- (app.user_id) sees or writes it. No foreign key to users: a failed
-- sign-in is recorded even when the mirror row lags; DeleteUser removes
-- the rows.
CREATE TABLE account_events (
    id         text PRIMARY KEY,
    user_id    text NOT NULL,
    at         timestamptz NOT NULL,
    action     text NOT NULL,
    ip         text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT '',
    details    text NOT NULL DEFAULT '{}'
);
CREATE INDEX account_events_user_idx ON account_events (user_id, at, id);

ALTER TABLE account_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_events FORCE ROW LEVEL SECURITY;
CREATE POLICY user_isolation ON account_events
    USING (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')))
    WITH CHECK (user_id = (SELECT NULLIF(current_setting('app.user_id', true), '')));

-- The append-only, hash-chained audit log. Rows outlive their tenant (no
-- foreign key): the record of a deletion must survive it. The runtime role
-- gets INSERT and SELECT only.

CREATE TABLE audit_log (
    tenant_id   text NOT NULL,
    seq         bigint NOT NULL,
    id          text NOT NULL,
    at          timestamptz NOT NULL,
    actor_id    text NOT NULL DEFAULT '',
    actor_email text NOT NULL DEFAULT '',
    action      text NOT NULL,
    target_type text NOT NULL DEFAULT '',
    target_id   text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    details     text NOT NULL DEFAULT '{}',
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_log_action_idx ON audit_log (tenant_id, action, seq);

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

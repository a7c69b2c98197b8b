-- Discussions, their messages (persisted while streaming) and consensus rounds.

CREATE TABLE discussions (
    tenant_id            text NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                   text NOT NULL,
    title                text NOT NULL,
    mode                 text NOT NULL CHECK (mode IN ('single', 'parallel', 'consensus')),
    persona_ids          text NOT NULL DEFAULT '[]', -- JSON array, in speaking order
    moderator_persona_id text NOT NULL DEFAULT '',
    max_rounds           integer NOT NULL DEFAULT 3,
    threshold            double precision NOT NULL DEFAULT 0.8,
    created_by           text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX discussions_recent_idx ON discussions (tenant_id, updated_at DESC);

CREATE TABLE messages (
    tenant_id     text NOT NULL,
    id            text NOT NULL,
    discussion_id text NOT NULL,
    seq           bigint NOT NULL,
    turn_id       text NOT NULL DEFAULT '',
    role          text NOT NULL CHECK (role IN ('user', 'assistant', 'moderator')),
    persona_id    text NOT NULL DEFAULT '',
    author_id     text NOT NULL DEFAULT '',
    content       text NOT NULL DEFAULT '',
    status        text NOT NULL CHECK (status IN ('streaming', 'done', 'stopped', 'error', 'interrupted')),
    round         integer NOT NULL DEFAULT 0,
    provider_id   text NOT NULL DEFAULT '',
    model         text NOT NULL DEFAULT '',
    usage         text NOT NULL DEFAULT '{}', -- JSON
    error         text NOT NULL DEFAULT '',
    metadata      text NOT NULL DEFAULT '{}', -- JSON
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, discussion_id) REFERENCES discussions (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX messages_order_idx ON messages (tenant_id, discussion_id, seq);
CREATE INDEX messages_status_idx ON messages (tenant_id, status);

CREATE TABLE discussion_rounds (
    tenant_id     text NOT NULL,
    discussion_id text NOT NULL,
    turn_id       text NOT NULL,
    round         integer NOT NULL,
    agreement     double precision NOT NULL,
    method        text NOT NULL DEFAULT '',
    explanation   text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, discussion_id, turn_id, round),
    FOREIGN KEY (tenant_id, discussion_id) REFERENCES discussions (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE discussions ENABLE ROW LEVEL SECURITY;
ALTER TABLE discussions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON discussions
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON messages
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

ALTER TABLE discussion_rounds ENABLE ROW LEVEL SECURITY;
ALTER TABLE discussion_rounds FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON discussion_rounds
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')));

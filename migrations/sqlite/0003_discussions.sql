-- Discussions, their messages (persisted while streaming) and consensus rounds.

CREATE TABLE discussions (
    tenant_id            TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id                   TEXT NOT NULL,
    title                TEXT NOT NULL,
    mode                 TEXT NOT NULL CHECK (mode IN ('single', 'parallel', 'consensus')),
    persona_ids          TEXT NOT NULL DEFAULT '[]',
    moderator_persona_id TEXT NOT NULL DEFAULT '',
    max_rounds           INTEGER NOT NULL DEFAULT 3,
    threshold            REAL NOT NULL DEFAULT 0.8,
    created_by           TEXT NOT NULL DEFAULT '',
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX discussions_recent_idx ON discussions (tenant_id, updated_at DESC);

CREATE TABLE messages (
    tenant_id     TEXT NOT NULL,
    id            TEXT NOT NULL,
    discussion_id TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    turn_id       TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'moderator')),
    persona_id    TEXT NOT NULL DEFAULT '',
    author_id     TEXT NOT NULL DEFAULT '',
    content       TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('streaming', 'done', 'stopped', 'error', 'interrupted')),
    round         INTEGER NOT NULL DEFAULT 0,
    provider_id   TEXT NOT NULL DEFAULT '',
    model         TEXT NOT NULL DEFAULT '',
    usage         TEXT NOT NULL DEFAULT '{}',
    error         TEXT NOT NULL DEFAULT '',
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, discussion_id) REFERENCES discussions (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE UNIQUE INDEX messages_order_idx ON messages (tenant_id, discussion_id, seq);
CREATE INDEX messages_status_idx ON messages (tenant_id, status);

CREATE TABLE discussion_rounds (
    tenant_id     TEXT NOT NULL,
    discussion_id TEXT NOT NULL,
    turn_id       TEXT NOT NULL,
    round         INTEGER NOT NULL,
    agreement     REAL NOT NULL,
    method        TEXT NOT NULL DEFAULT '',
    explanation   TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    PRIMARY KEY (tenant_id, discussion_id, turn_id, round),
    FOREIGN KEY (tenant_id, discussion_id) REFERENCES discussions (tenant_id, id) ON DELETE CASCADE
) STRICT;

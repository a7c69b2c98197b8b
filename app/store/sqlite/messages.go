package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/nyxcore/nyxcore/app/store"
)

const messageColumns = `id, tenant_id, discussion_id, seq, turn_id, role, persona_id, author_id, content, status, round,
	provider_id, model, usage, error, metadata, created_at, updated_at`

func scanMessage(row scanner) (*store.Message, error) {
	var m store.Message
	var usage, meta, created, updated string
	if err := row.Scan(&m.ID, &m.TenantID, &m.DiscussionID, &m.Seq, &m.TurnID, &m.Role, &m.PersonaID, &m.AuthorID, &m.Content,
		&m.Status, &m.Round, &m.ProviderID, &m.Model, &usage, &m.Error, &meta, &created, &updated); err != nil {
		return nil, err
	}
	m.Usage, m.Metadata = json.RawMessage(usage), json.RawMessage(meta)
	m.CreatedAt, m.UpdatedAt = parseTime(created), parseTime(updated)
	return &m, nil
}

func jsonText(b json.RawMessage) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}

// AddMessage appends a message under the single writer.
func (db *DB) AddMessage(ctx context.Context, m store.Message) (*store.Message, error) {
	var out *store.Message
	err := db.write(ctx, func(tx *sql.Tx) error {
		var seq int64
		err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT max(seq) FROM messages WHERE tenant_id = ?1 AND discussion_id = ?2), 0) + 1
			FROM discussions WHERE tenant_id = ?1 AND id = ?2`, m.TenantID, m.DiscussionID).Scan(&seq)
		if err != nil {
			return err
		}
		ts := now()
		out, err = scanMessage(tx.QueryRowContext(ctx, `INSERT INTO messages (tenant_id, id, discussion_id, seq, turn_id, role, persona_id,
			author_id, content, status, round, provider_id, model, usage, error, metadata, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+messageColumns,
			m.TenantID, store.IDOrNew(m.ID), m.DiscussionID, seq, m.TurnID, m.Role, m.PersonaID, m.AuthorID, m.Content, m.Status,
			m.Round, m.ProviderID, m.Model, jsonText(m.Usage), m.Error, jsonText(m.Metadata), ts, ts))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE discussions SET updated_at = ? WHERE tenant_id = ? AND id = ?`, ts, m.TenantID, m.DiscussionID)
		return err
	})
	if err != nil {
		return nil, mapErr("add message", err)
	}
	return out, nil
}

// UpdateMessage writes streamed content and status.
func (db *DB) UpdateMessage(ctx context.Context, tenantID, id string, u store.MessageUpdate) (*store.Message, error) {
	var usage, meta *string
	if u.Usage != nil {
		s := jsonText(u.Usage)
		usage = &s
	}
	if u.Metadata != nil {
		s := jsonText(u.Metadata)
		meta = &s
	}
	var out *store.Message
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanMessage(tx.QueryRowContext(ctx, `UPDATE messages SET content = ?3, status = ?4, usage = COALESCE(?5, usage),
			error = ?6, metadata = COALESCE(?7, metadata), updated_at = ?8
			WHERE tenant_id = ?1 AND id = ?2 RETURNING `+messageColumns, tenantID, id, u.Content, u.Status, usage, u.Error, meta, now()))
		return err
	})
	if err != nil {
		return nil, mapErr("update message", err)
	}
	return out, nil
}

// ListMessages pages through a discussion in order.
func (db *DB) ListMessages(ctx context.Context, tenantID, discussionID string, after int64, limit int) ([]store.Message, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = ? AND discussion_id = ? AND seq > ? ORDER BY seq LIMIT ?`, tenantID, discussionID, after, limit)
	if err != nil {
		return nil, mapErr("list messages", err)
	}
	defer rows.Close()
	out := []store.Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, mapErr("list messages", err)
		}
		out = append(out, *m)
	}
	return out, mapErr("list messages", rows.Err())
}

// AddRound records a consensus round.
func (db *DB) AddRound(ctx context.Context, r store.Round) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO discussion_rounds (tenant_id, discussion_id, turn_id, round, agreement, method, explanation, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.TenantID, r.DiscussionID, r.TurnID, r.Round, r.Agreement, r.Method, r.Explanation, now())
		return err
	})
	return mapErr("add round", err)
}

// ListRounds returns a discussion's rounds in order.
func (db *DB) ListRounds(ctx context.Context, tenantID, discussionID string) ([]store.Round, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT tenant_id, discussion_id, turn_id, round, agreement, method, explanation, created_at
		FROM discussion_rounds WHERE tenant_id = ? AND discussion_id = ? ORDER BY created_at, round`, tenantID, discussionID)
	if err != nil {
		return nil, mapErr("list rounds", err)
	}
	defer rows.Close()
	out := []store.Round{}
	for rows.Next() {
		var r store.Round
		var created string
		if err := rows.Scan(&r.TenantID, &r.DiscussionID, &r.TurnID, &r.Round, &r.Agreement, &r.Method, &r.Explanation, &created); err != nil {
			return nil, mapErr("list rounds", err)
		}
		r.CreatedAt = parseTime(created)
		out = append(out, r)
	}
	return out, mapErr("list rounds", rows.Err())
}

// InterruptStreaming marks messages left streaming as interrupted.
func (db *DB) InterruptStreaming(ctx context.Context, tenantID string) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'interrupted', updated_at = ? WHERE tenant_id = ? AND status = 'streaming'`, now(), tenantID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return int(n), mapErr("interrupt streaming", err)
}

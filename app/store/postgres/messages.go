package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const messageColumns = `id, tenant_id, discussion_id, seq, turn_id, role, persona_id, author_id, content, status, round,
	provider_id, model, usage, error, metadata, created_at, updated_at`

func scanMessage(row pgx.Row) (*store.Message, error) {
	var m store.Message
	var usage, meta string
	if err := row.Scan(&m.ID, &m.TenantID, &m.DiscussionID, &m.Seq, &m.TurnID, &m.Role, &m.PersonaID, &m.AuthorID, &m.Content,
		&m.Status, &m.Round, &m.ProviderID, &m.Model, &usage, &m.Error, &meta, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return nil, err
	}
	m.Usage, m.Metadata = json.RawMessage(usage), json.RawMessage(meta)
	return &m, nil
}

func jsonText(b json.RawMessage) string {
	if len(b) == 0 {
		return "{}"
	}
	return string(b)
}

// AddMessage appends a message; the discussion row lock orders concurrent appends.
func (db *DB) AddMessage(ctx context.Context, m store.Message) (*store.Message, error) {
	var out *store.Message
	err := db.withTenantTx(ctx, m.TenantID, func(tx pgx.Tx) error {
		// Lock the discussion first, in its own statement: the max(seq) below
		// then runs on a snapshot taken after any concurrent append committed.
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM discussions WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, m.TenantID, m.DiscussionID).Scan(&one); err != nil {
			return err
		}
		var seq int64
		err := tx.QueryRow(ctx, `SELECT COALESCE(max(seq), 0) + 1 FROM messages WHERE tenant_id = $1 AND discussion_id = $2`,
			m.TenantID, m.DiscussionID).Scan(&seq)
		if err != nil {
			return err
		}
		out, err = scanMessage(tx.QueryRow(ctx, `INSERT INTO messages (tenant_id, id, discussion_id, seq, turn_id, role, persona_id,
			author_id, content, status, round, provider_id, model, usage, error, metadata)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING `+messageColumns,
			m.TenantID, store.IDOrNew(m.ID), m.DiscussionID, seq, m.TurnID, m.Role, m.PersonaID, m.AuthorID, m.Content, m.Status,
			m.Round, m.ProviderID, m.Model, jsonText(m.Usage), m.Error, jsonText(m.Metadata)))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE discussions SET updated_at = now() WHERE tenant_id = $1 AND id = $2`, m.TenantID, m.DiscussionID)
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
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanMessage(tx.QueryRow(ctx, `UPDATE messages SET content = $3, status = $4, usage = COALESCE($5, usage),
			error = $6, metadata = COALESCE($7, metadata), updated_at = now()
			WHERE tenant_id = $1 AND id = $2 RETURNING `+messageColumns, tenantID, id, u.Content, u.Status, usage, u.Error, meta))
		return err
	})
	if err != nil {
		return nil, mapErr("update message", err)
	}
	return out, nil
}

// ListMessages pages through a discussion in order.
func (db *DB) ListMessages(ctx context.Context, tenantID, discussionID string, after int64, limit int) ([]store.Message, error) {
	out := []store.Message{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+messageColumns+` FROM messages
		WHERE tenant_id = $1 AND discussion_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
		[]any{tenantID, discussionID, after, limit}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Message, error) {
				m, err := scanMessage(r)
				if err != nil {
					return store.Message{}, err
				}
				return *m, nil
			})
			return err
		})
	return out, mapErr("list messages", err)
}

// AddRound records a consensus round.
func (db *DB) AddRound(ctx context.Context, r store.Round) error {
	err := db.withTenantTx(ctx, r.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO discussion_rounds (tenant_id, discussion_id, turn_id, round, agreement, method, explanation)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.TenantID, r.DiscussionID, r.TurnID, r.Round, r.Agreement, r.Method, r.Explanation)
		return err
	})
	return mapErr("add round", err)
}

// ListRounds returns a discussion's rounds in order.
func (db *DB) ListRounds(ctx context.Context, tenantID, discussionID string) ([]store.Round, error) {
	out := []store.Round{}
	err := db.queryTenant(ctx, tenantID, `SELECT tenant_id, discussion_id, turn_id, round, agreement, method, explanation, created_at
		FROM discussion_rounds WHERE tenant_id = $1 AND discussion_id = $2 ORDER BY created_at, round`,
		[]any{tenantID, discussionID}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Round, error) {
				var x store.Round
				return x, r.Scan(&x.TenantID, &x.DiscussionID, &x.TurnID, &x.Round, &x.Agreement, &x.Method, &x.Explanation, &x.CreatedAt)
			})
			return err
		})
	return out, mapErr("list rounds", err)
}

// InterruptStreaming marks messages left streaming as interrupted.
func (db *DB) InterruptStreaming(ctx context.Context, tenantID string) (int, error) {
	var n int64
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE messages SET status = 'interrupted', updated_at = now() WHERE tenant_id = $1 AND status = 'streaming'`, tenantID)
		n = tag.RowsAffected()
		return err
	})
	return int(n), mapErr("interrupt streaming", err)
}

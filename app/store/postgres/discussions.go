package postgres

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const discussionColumns = `id, tenant_id, title, mode, persona_ids, moderator_persona_id, max_rounds, threshold, created_by, created_at, updated_at`

func scanDiscussion(row pgx.Row) (*store.Discussion, error) {
	var d store.Discussion
	var personas string
	if err := row.Scan(&d.ID, &d.TenantID, &d.Title, &d.Mode, &personas, &d.ModeratorPersonaID, &d.MaxRounds, &d.Threshold,
		&d.CreatedBy, &d.CreatedAt, &d.UpdatedAt); err != nil {
		return nil, err
	}
	return &d, json.Unmarshal([]byte(personas), &d.PersonaIDs)
}

// CreateDiscussion inserts a discussion.
func (db *DB) CreateDiscussion(ctx context.Context, d store.Discussion) (*store.Discussion, error) {
	var out *store.Discussion
	err := db.withTenantTx(ctx, d.TenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanDiscussion(tx.QueryRow(ctx, `INSERT INTO discussions
			(tenant_id, id, title, mode, persona_ids, moderator_persona_id, max_rounds, threshold, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+discussionColumns,
			d.TenantID, store.IDOrNew(d.ID), d.Title, d.Mode, modelsJSON(d.PersonaIDs), d.ModeratorPersonaID, d.MaxRounds, d.Threshold, d.CreatedBy))
		return err
	})
	if err != nil {
		return nil, mapErr("create discussion", err)
	}
	return out, nil
}

// GetDiscussion returns one discussion.
func (db *DB) GetDiscussion(ctx context.Context, tenantID, id string) (*store.Discussion, error) {
	var d *store.Discussion
	err := db.queryTenant(ctx, tenantID, `SELECT `+discussionColumns+` FROM discussions WHERE tenant_id = $1 AND id = $2`,
		[]any{tenantID, id}, func(rows pgx.Rows) error {
			var err error
			d, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Discussion, error) { return scanDiscussion(r) })
			return err
		})
	if err != nil {
		return nil, mapErr("get discussion", err)
	}
	return d, nil
}

// ListDiscussions returns recent discussions, optionally searched.
func (db *DB) ListDiscussions(ctx context.Context, tenantID, query string, limit int) ([]store.Discussion, error) {
	out := []store.Discussion{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+discussionColumns+` FROM discussions d
		WHERE d.tenant_id = $1 AND ($2 = '' OR d.title ILIKE '%' || $2 || '%' OR EXISTS (
			SELECT 1 FROM messages m WHERE m.tenant_id = d.tenant_id AND m.discussion_id = d.id AND m.content ILIKE '%' || $2 || '%'))
		ORDER BY d.updated_at DESC, d.id LIMIT $3`, []any{tenantID, likeEscape(query), limit}, func(rows pgx.Rows) error {
		var err error
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Discussion, error) {
			d, err := scanDiscussion(r)
			if err != nil {
				return store.Discussion{}, err
			}
			return *d, nil
		})
		return err
	})
	return out, mapErr("list discussions", err)
}

// RenameDiscussion changes the title.
func (db *DB) RenameDiscussion(ctx context.Context, tenantID, id, title string) (*store.Discussion, error) {
	var d *store.Discussion
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		d, err = scanDiscussion(tx.QueryRow(ctx, `UPDATE discussions SET title = $3, updated_at = now()
			WHERE tenant_id = $1 AND id = $2 RETURNING `+discussionColumns, tenantID, id, title))
		return err
	})
	if err != nil {
		return nil, mapErr("rename discussion", err)
	}
	return d, nil
}

// DeleteDiscussion deletes a discussion with its messages and rounds.
func (db *DB) DeleteDiscussion(ctx context.Context, tenantID, id string) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM discussions WHERE tenant_id = $1 AND id = $2`, tenantID, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return mapErr("delete discussion", err)
}

// likeEscape makes user text literal inside ILIKE patterns.
func likeEscape(s string) string {
	r := []rune{}
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}

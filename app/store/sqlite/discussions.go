package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/nyxcore/nyxcore/app/store"
)

const discussionColumns = `id, tenant_id, title, mode, persona_ids, moderator_persona_id, max_rounds, threshold, created_by, created_at, updated_at`

func scanDiscussion(row scanner) (*store.Discussion, error) {
	var d store.Discussion
	var personas, created, updated string
	if err := row.Scan(&d.ID, &d.TenantID, &d.Title, &d.Mode, &personas, &d.ModeratorPersonaID, &d.MaxRounds, &d.Threshold,
		&d.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = parseTime(created), parseTime(updated)
	return &d, json.Unmarshal([]byte(personas), &d.PersonaIDs)
}

// CreateDiscussion inserts a discussion.
func (db *DB) CreateDiscussion(ctx context.Context, d store.Discussion) (*store.Discussion, error) {
	var out *store.Discussion
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tenantExists(ctx, tx, d.TenantID); err != nil {
			return err
		}
		ts := now()
		var err error
		out, err = scanDiscussion(tx.QueryRowContext(ctx, `INSERT INTO discussions
			(tenant_id, id, title, mode, persona_ids, moderator_persona_id, max_rounds, threshold, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+discussionColumns,
			d.TenantID, store.IDOrNew(d.ID), d.Title, d.Mode, modelsJSON(d.PersonaIDs), d.ModeratorPersonaID, d.MaxRounds, d.Threshold, d.CreatedBy, ts, ts))
		return err
	})
	if err != nil {
		return nil, mapErr("create discussion", err)
	}
	return out, nil
}

// GetDiscussion returns one discussion.
func (db *DB) GetDiscussion(ctx context.Context, tenantID, id string) (*store.Discussion, error) {
	d, err := scanDiscussion(db.reader.QueryRowContext(ctx, `SELECT `+discussionColumns+` FROM discussions WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, mapErr("get discussion", err)
	}
	return d, nil
}

// ListDiscussions returns recent discussions, optionally searched.
func (db *DB) ListDiscussions(ctx context.Context, tenantID, query string, limit int) ([]store.Discussion, error) {
	pattern := "%" + likeEscape(strings.ToLower(query)) + "%"
	rows, err := db.reader.QueryContext(ctx, `SELECT `+discussionColumns+` FROM discussions d
		WHERE d.tenant_id = ?1 AND (?2 = '' OR lower(d.title) LIKE ?3 ESCAPE '\' OR EXISTS (
			SELECT 1 FROM messages m WHERE m.tenant_id = d.tenant_id AND m.discussion_id = d.id AND lower(m.content) LIKE ?3 ESCAPE '\'))
		ORDER BY d.updated_at DESC, d.id LIMIT ?4`, tenantID, query, pattern, limit)
	if err != nil {
		return nil, mapErr("list discussions", err)
	}
	defer rows.Close()
	out := []store.Discussion{}
	for rows.Next() {
		d, err := scanDiscussion(rows)
		if err != nil {
			return nil, mapErr("list discussions", err)
		}
		out = append(out, *d)
	}
	return out, mapErr("list discussions", rows.Err())
}

// RenameDiscussion changes the title.
func (db *DB) RenameDiscussion(ctx context.Context, tenantID, id, title string) (*store.Discussion, error) {
	var d *store.Discussion
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDiscussion(tx.QueryRowContext(ctx, `UPDATE discussions SET title = ?, updated_at = ?
			WHERE tenant_id = ? AND id = ? RETURNING `+discussionColumns, title, now(), tenantID, id))
		return err
	})
	if err != nil {
		return nil, mapErr("rename discussion", err)
	}
	return d, nil
}

// DeleteDiscussion deletes a discussion with its messages and rounds.
func (db *DB) DeleteDiscussion(ctx context.Context, tenantID, id string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		return deleteOne(ctx, tx, `DELETE FROM discussions WHERE tenant_id = ? AND id = ?`, tenantID, id)
	})
	return mapErr("delete discussion", err)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// checkSlugFree fails with ErrSlugHeld when a tenant other than tenantID
// holds slug. It runs in a write transaction, and the single writer
// connection serialises it with every rename.
func checkSlugFree(ctx context.Context, tx *sql.Tx, tenantID, slug string) error {
	var holder string
	err := tx.QueryRowContext(ctx, `SELECT tenant_id FROM slug_holds WHERE slug = ? AND held_until > ?
		ORDER BY held_until DESC LIMIT 1`, slug, now()).Scan(&holder)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return err
	case holder != tenantID:
		return store.ErrSlugHeld
	}
	return nil
}

// renameSlug prepares a slug change of tenantID to slug and returns a
// function to run after the tenants row is updated: it holds the old slug
// for hold. Taking back a slug the tenant holds itself ends that hold.
func renameSlug(ctx context.Context, tx *sql.Tx, tenantID, slug string, hold time.Duration) (func() error, error) {
	var old string
	if err := tx.QueryRowContext(ctx, `SELECT slug FROM tenants WHERE id = ?`, tenantID).Scan(&old); err != nil {
		return nil, err
	}
	if old == slug {
		return func() error { return nil }, nil
	}
	if err := checkSlugFree(ctx, tx, tenantID, slug); err != nil {
		return nil, err
	}
	ts := now()
	if _, err := tx.ExecContext(ctx, `DELETE FROM slug_holds WHERE tenant_id = ? AND (slug = ? OR held_until <= ?)`, tenantID, slug, ts); err != nil {
		return nil, err
	}
	return func() error {
		if hold <= 0 {
			return nil
		}
		until := time.Now().Add(hold).UTC().Format(timeFormat)
		_, err := tx.ExecContext(ctx, `INSERT INTO slug_holds (tenant_id, slug, held_until, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, slug) DO UPDATE SET held_until = excluded.held_until`, tenantID, old, until, ts)
		return err
	}, nil
}

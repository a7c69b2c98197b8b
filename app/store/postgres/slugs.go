package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// lockSlugs serialises every claim and release of the given slugs across
// processes (transaction-scoped advisory locks, taken in sorted order so
// two renames cannot deadlock): without it a create could check "not
// held" just before a concurrent rename commits a hold on the same slug.
func lockSlugs(ctx context.Context, tx pgx.Tx, slugs ...string) error {
	slices.Sort(slugs)
	for _, s := range slices.Compact(slugs) {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('nyx_slug:' || $1, 0))`, s); err != nil {
			return err
		}
	}
	return nil
}

// checkSlugFree fails with ErrSlugHeld when a tenant other than tenantID
// holds slug. The holder is read through nyx_slug_holder, the registry's
// narrow cross-tenant path; the caller holds the slug's lock.
func checkSlugFree(ctx context.Context, tx pgx.Tx, tenantID, slug string) error {
	var holder *string
	if err := tx.QueryRow(ctx, `SELECT nyx_slug_holder($1)`, slug).Scan(&holder); err != nil {
		return err
	}
	if holder != nil && *holder != tenantID {
		return store.ErrSlugHeld
	}
	return nil
}

// renameSlug prepares a slug change of tenantID to slug inside its tenant
// transaction and returns a function to run after the tenants row is
// updated: it holds the old slug for hold. Taking back a slug the tenant
// holds itself ends that hold. Nothing to do when the slug stays.
func renameSlug(ctx context.Context, tx pgx.Tx, tenantID, slug string, hold time.Duration) (func() error, error) {
	var old string
	if err := tx.QueryRow(ctx, `SELECT slug FROM tenants WHERE id = $1 FOR UPDATE`, tenantID).Scan(&old); err != nil {
		return nil, err
	}
	if old == slug {
		return func() error { return nil }, nil
	}
	if err := lockSlugs(ctx, tx, old, slug); err != nil {
		return nil, err
	}
	if err := checkSlugFree(ctx, tx, tenantID, slug); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM slug_holds WHERE tenant_id = $1 AND (slug = $2 OR held_until <= now())`, tenantID, slug); err != nil {
		return nil, err
	}
	return func() error {
		if hold <= 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO slug_holds (tenant_id, slug, held_until)
			VALUES ($1, $2, now() + make_interval(secs => $3))
			ON CONFLICT (tenant_id, slug) DO UPDATE SET held_until = EXCLUDED.held_until`, tenantID, old, hold.Seconds())
		return err
	}, nil
}

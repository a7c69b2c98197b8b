package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const tenantColumns = `id, slug, name, custom_domain, custom_domain_verified_at, created_at`

func scanTenant(row pgx.Row) (*store.Tenant, error) {
	var t store.Tenant
	if err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.CustomDomain, &t.CustomDomainVerifiedAt, &t.CreatedAt); err != nil {
		return nil, err
	}
	return &t, nil
}

// CreateTenant inserts the tenant and its owner membership in one tenant transaction.
func (db *DB) CreateTenant(ctx context.Context, slug, name, ownerID string) (*store.Tenant, error) {
	id := store.NewID()
	var t *store.Tenant
	err := db.withTenantTx(ctx, id, func(tx pgx.Tx) error {
		if err := lockSlugs(ctx, tx, slug); err != nil {
			return err
		}
		if err := checkSlugFree(ctx, tx, id, slug); err != nil {
			return err
		}
		var err error
		t, err = scanTenant(tx.QueryRow(ctx,
			`INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3) RETURNING `+tenantColumns, id, slug, name))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')`, id, ownerID)
		return err
	})
	if err != nil {
		return nil, mapErr("create tenant", userFK(err))
	}
	return t, nil
}

// ResolveTenant maps an exact id, slug or verified domain to a tenant id
// through nyx_resolve_tenant, the registry's only cross-tenant path.
func (db *DB) ResolveTenant(ctx context.Context, find store.FindTenant) (string, error) {
	var id *string
	err := db.pool.QueryRow(ctx, `SELECT nyx_resolve_tenant($1, $2, $3)`,
		nullable(find.ID), nullable(find.Slug), nullable(find.Domain)).Scan(&id)
	if err != nil {
		return "", mapErr("resolve tenant", err)
	}
	if id == nil {
		return "", mapErr("resolve tenant", store.ErrNotFound)
	}
	return *id, nil
}

// GetTenant returns the tenant, read under its own RLS scope.
func (db *DB) GetTenant(ctx context.Context, tenantID string) (*store.Tenant, error) {
	var t *store.Tenant
	err := db.queryTenant(ctx, tenantID, `SELECT `+tenantColumns+` FROM tenants WHERE id = $1`, []any{tenantID},
		func(rows pgx.Rows) error {
			var err error
			t, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Tenant, error) { return scanTenant(r) })
			return err
		})
	if err != nil {
		return nil, mapErr("get tenant", err)
	}
	return t, nil
}

// UpdateTenant changes the given fields; a new custom domain starts unverified.
func (db *DB) UpdateTenant(ctx context.Context, tenantID string, u store.UpdateTenant) (*store.Tenant, error) {
	var t *store.Tenant
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		holdOld := func() error { return nil }
		if u.Slug != nil {
			var err error
			if holdOld, err = renameSlug(ctx, tx, tenantID, *u.Slug, u.SlugHold); err != nil {
				return err
			}
		}
		var err error
		t, err = scanTenant(tx.QueryRow(ctx, `
			UPDATE tenants SET
				name = COALESCE($2, name),
				slug = COALESCE($3, slug),
				custom_domain = CASE WHEN $4::boolean THEN NULLIF($5, '') ELSE custom_domain END,
				custom_domain_verified_at = CASE
					WHEN $4::boolean AND custom_domain IS DISTINCT FROM NULLIF($5, '') THEN NULL
					ELSE custom_domain_verified_at END
			WHERE id = $1
			RETURNING `+tenantColumns,
			tenantID, u.Name, u.Slug, u.CustomDomain != nil, deref(u.CustomDomain)))
		if err != nil {
			return err
		}
		return holdOld()
	})
	if err != nil {
		return nil, mapErr("update tenant", err)
	}
	return t, nil
}

// DeleteTenant deletes the tenant; foreign keys cascade to what it owns.
func (db *DB) DeleteTenant(ctx context.Context, tenantID string) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM tenants WHERE id = $1`, tenantID)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return mapErr("delete tenant", err)
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// MarkDomainVerified stamps domain as verified if it is still the tenant's
// custom domain; the WHERE clause makes the compare and the mark one step.
func (db *DB) MarkDomainVerified(ctx context.Context, tenantID, domain string, at time.Time) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE tenants SET custom_domain_verified_at = $2 WHERE id = $1 AND custom_domain = $3`,
			tenantID, at, domain)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		// Nothing marked: tell a missing tenant from a changed domain.
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM tenants WHERE id = $1`, tenantID).Scan(&one); err != nil {
			return err
		}
		return store.ErrDomainChanged
	})
	return mapErr("mark domain verified", err)
}

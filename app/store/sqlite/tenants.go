package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

const tenantColumns = `id, slug, name, custom_domain, custom_domain_verified_at, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanTenant(row scanner) (*store.Tenant, error) {
	var t store.Tenant
	var verified *string
	var created string
	if err := row.Scan(&t.ID, &t.Slug, &t.Name, &t.CustomDomain, &verified, &created); err != nil {
		return nil, err
	}
	t.CustomDomainVerifiedAt = parseTimePtr(verified)
	t.CreatedAt = parseTime(created)
	return &t, nil
}

// CreateTenant inserts the tenant and its owner membership in one transaction.
func (db *DB) CreateTenant(ctx context.Context, slug, name, ownerID string) (*store.Tenant, error) {
	id := store.NewID()
	var t *store.Tenant
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := userExists(ctx, tx, ownerID); err != nil {
			return err
		}
		if err := checkSlugFree(ctx, tx, id, slug); err != nil {
			return err
		}
		ts := now()
		var err error
		t, err = scanTenant(tx.QueryRowContext(ctx, `INSERT INTO tenants (id, slug, name, created_at) VALUES (?, ?, ?, ?)
			RETURNING `+tenantColumns, id, slug, name, ts))
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)`, id, ownerID, ts)
		return err
	})
	if err != nil {
		return nil, mapErr("create tenant", err)
	}
	return t, nil
}

// ResolveTenant maps an exact id, slug or verified domain to a tenant id;
// a slug no tenant uses maps to the tenant holding it.
func (db *DB) ResolveTenant(ctx context.Context, find store.FindTenant) (string, error) {
	var id sql.NullString
	err := db.reader.QueryRowContext(ctx, `SELECT COALESCE(
		(SELECT id FROM tenants
		 WHERE (?1 <> '' AND id = ?1) OR (?2 <> '' AND slug = ?2)
		    OR (?3 <> '' AND custom_domain = ?3 AND custom_domain_verified_at IS NOT NULL)
		 LIMIT 1),
		(SELECT tenant_id FROM slug_holds WHERE ?2 <> '' AND slug = ?2 AND held_until > ?4
		 ORDER BY held_until DESC LIMIT 1))`, find.ID, find.Slug, find.Domain, now()).Scan(&id)
	if err == nil && !id.Valid {
		err = store.ErrNotFound
	}
	return id.String, mapErr("resolve tenant", err)
}

// GetTenant returns the tenant.
func (db *DB) GetTenant(ctx context.Context, tenantID string) (*store.Tenant, error) {
	t, err := scanTenant(db.reader.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, tenantID))
	if err != nil {
		return nil, mapErr("get tenant", err)
	}
	return t, nil
}

// UpdateTenant changes the given fields; a new custom domain starts unverified.
func (db *DB) UpdateTenant(ctx context.Context, tenantID string, u store.UpdateTenant) (*store.Tenant, error) {
	var t *store.Tenant
	err := db.write(ctx, func(tx *sql.Tx) error {
		holdOld := func() error { return nil }
		if u.Slug != nil {
			var err error
			if holdOld, err = renameSlug(ctx, tx, tenantID, *u.Slug, u.SlugHold); err != nil {
				return err
			}
		}
		var err error
		t, err = scanTenant(tx.QueryRowContext(ctx, `
			UPDATE tenants SET
				name = COALESCE(?2, name),
				slug = COALESCE(?3, slug),
				custom_domain_verified_at = CASE
					WHEN ?4 AND custom_domain IS NOT NULLIF(?5, '') THEN NULL
					ELSE custom_domain_verified_at END,
				custom_domain = CASE WHEN ?4 THEN NULLIF(?5, '') ELSE custom_domain END
			WHERE id = ?1
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
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM tenants WHERE id = ?`, tenantID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	return mapErr("delete tenant", err)
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
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tenants SET custom_domain_verified_at = ? WHERE id = ? AND custom_domain = ?`,
			at.UTC().Format(timeFormat), tenantID, domain)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		// Nothing marked: tell a missing tenant from a changed domain.
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM tenants WHERE id = ?`, tenantID).Scan(&one); err != nil {
			return err
		}
		return store.ErrDomainChanged
	})
	return mapErr("mark domain verified", err)
}

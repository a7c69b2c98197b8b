package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/nyxcore/nyxcore/app/store"
)

const providerColumns = `id, tenant_id, kind, name, base_url, COALESCE(api_key, ''), api_key_last4, enabled_models, enabled, created_at, updated_at`

func scanProvider(row scanner) (*store.Provider, error) {
	var p store.Provider
	var models, created, updated string
	if err := row.Scan(&p.ID, &p.TenantID, &p.Kind, &p.Name, &p.BaseURL, &p.APIKey, &p.APIKeyLast4, &models, &p.Enabled, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(models), &p.EnabledModels); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = parseTime(created), parseTime(updated)
	return &p, nil
}

func modelsJSON(m []string) string {
	if m == nil {
		m = []string{}
	}
	b, _ := json.Marshal(m) // a []string always marshals
	return string(b)
}

// ListProviders returns the tenant's providers by name.
func (db *DB) ListProviders(ctx context.Context, tenantID string) ([]store.Provider, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+providerColumns+` FROM providers WHERE tenant_id = ? ORDER BY lower(name)`, tenantID)
	if err != nil {
		return nil, mapErr("list providers", err)
	}
	defer rows.Close()
	out := []store.Provider{}
	for rows.Next() {
		p, err := scanProvider(rows)
		if err != nil {
			return nil, mapErr("list providers", err)
		}
		out = append(out, *p)
	}
	return out, mapErr("list providers", rows.Err())
}

// GetProvider returns one provider of the tenant.
func (db *DB) GetProvider(ctx context.Context, tenantID, id string) (*store.Provider, error) {
	p, err := scanProvider(db.reader.QueryRowContext(ctx, `SELECT `+providerColumns+` FROM providers WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return nil, mapErr("get provider", err)
	}
	return p, nil
}

// CreateProvider inserts a provider with a new id.
func (db *DB) CreateProvider(ctx context.Context, p store.Provider) (*store.Provider, error) {
	var out *store.Provider
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tenantExists(ctx, tx, p.TenantID); err != nil {
			return err
		}
		ts := now()
		var err error
		out, err = scanProvider(tx.QueryRowContext(ctx, `INSERT INTO providers
			(tenant_id, id, kind, name, base_url, api_key, api_key_last4, enabled_models, enabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?, ?, ?) RETURNING `+providerColumns,
			p.TenantID, store.IDOrNew(p.ID), p.Kind, p.Name, p.BaseURL, p.APIKey, p.APIKeyLast4, modelsJSON(p.EnabledModels), p.Enabled, ts, ts))
		return err
	})
	if err != nil {
		return nil, mapErr("create provider", nameTaken(err))
	}
	return out, nil
}

// UpdateProvider changes the given fields.
func (db *DB) UpdateProvider(ctx context.Context, tenantID, id string, u store.UpdateProvider) (*store.Provider, error) {
	var models *string
	if u.EnabledModels != nil {
		m := modelsJSON(*u.EnabledModels)
		models = &m
	}
	var out *store.Provider
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanProvider(tx.QueryRowContext(ctx, `UPDATE providers SET
				name = COALESCE(?3, name),
				base_url = COALESCE(?4, base_url),
				api_key = CASE WHEN ?5 IS NULL THEN api_key ELSE NULLIF(?5, '') END,
				api_key_last4 = CASE WHEN ?5 = '' THEN '' ELSE COALESCE(?6, api_key_last4) END,
				enabled_models = COALESCE(?7, enabled_models),
				enabled = COALESCE(?8, enabled),
				updated_at = ?9
			WHERE tenant_id = ?1 AND id = ?2 RETURNING `+providerColumns,
			tenantID, id, u.Name, u.BaseURL, u.APIKey, u.APIKeyLast4, models, u.Enabled, now()))
		return err
	})
	if err != nil {
		return nil, mapErr("update provider", nameTaken(err))
	}
	return out, nil
}

// DeleteProvider deletes a provider no persona uses.
func (db *DB) DeleteProvider(ctx context.Context, tenantID, id string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var used int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM personas WHERE tenant_id = ? AND provider_id = ?`, tenantID, id).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return store.ErrInUse
		}
		return deleteOne(ctx, tx, `DELETE FROM providers WHERE tenant_id = ? AND id = ?`, tenantID, id)
	})
	return mapErr("delete provider", err)
}

func deleteOne(ctx context.Context, tx *sql.Tx, q string, args ...any) error {
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.ErrNotFound
	}
	return nil
}

func tenantExists(ctx context.Context, tx *sql.Tx, tenantID string) error {
	var one int
	return tx.QueryRowContext(ctx, `SELECT 1 FROM tenants WHERE id = ?`, tenantID).Scan(&one)
}

// nameTaken maps the per-tenant name indexes' violations.
func nameTaken(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if strings.Contains(msg, "index 'providers_name_key'") || strings.Contains(msg, "index 'personas_name_key'") {
		return store.ErrNameTaken
	}
	return err
}

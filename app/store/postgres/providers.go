package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/nyxcore/nyxcore/app/store"
)

const providerColumns = `id, tenant_id, kind, name, base_url, COALESCE(api_key, ''), api_key_last4, enabled_models, enabled, created_at, updated_at`

func scanProvider(row pgx.Row) (*store.Provider, error) {
	var p store.Provider
	var models string
	if err := row.Scan(&p.ID, &p.TenantID, &p.Kind, &p.Name, &p.BaseURL, &p.APIKey, &p.APIKeyLast4, &models, &p.Enabled, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(models), &p.EnabledModels); err != nil {
		return nil, err
	}
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
	out := []store.Provider{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+providerColumns+` FROM providers WHERE tenant_id = $1 ORDER BY lower(name)`,
		[]any{tenantID}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Provider, error) {
				p, err := scanProvider(r)
				if err != nil {
					return store.Provider{}, err
				}
				return *p, nil
			})
			return err
		})
	return out, mapErr("list providers", err)
}

// GetProvider returns one provider of the tenant.
func (db *DB) GetProvider(ctx context.Context, tenantID, id string) (*store.Provider, error) {
	var p *store.Provider
	err := db.queryTenant(ctx, tenantID, `SELECT `+providerColumns+` FROM providers WHERE tenant_id = $1 AND id = $2`,
		[]any{tenantID, id}, func(rows pgx.Rows) error {
			var err error
			p, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Provider, error) { return scanProvider(r) })
			return err
		})
	if err != nil {
		return nil, mapErr("get provider", err)
	}
	return p, nil
}

// CreateProvider inserts a provider with a new id.
func (db *DB) CreateProvider(ctx context.Context, p store.Provider) (*store.Provider, error) {
	var out *store.Provider
	err := db.withTenantTx(ctx, p.TenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanProvider(tx.QueryRow(ctx, `INSERT INTO providers
			(tenant_id, id, kind, name, base_url, api_key, api_key_last4, enabled_models, enabled)
			VALUES ($1, $2, $3, $4, $5, NULLIF($6, ''), $7, $8, $9) RETURNING `+providerColumns,
			p.TenantID, store.IDOrNew(p.ID), p.Kind, p.Name, p.BaseURL, p.APIKey, p.APIKeyLast4, modelsJSON(p.EnabledModels), p.Enabled))
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
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanProvider(tx.QueryRow(ctx, `UPDATE providers SET
				name = COALESCE($3, name),
				base_url = COALESCE($4, base_url),
				api_key = CASE WHEN $5::text IS NULL THEN api_key ELSE NULLIF($5, '') END,
				api_key_last4 = CASE WHEN $5::text = '' THEN '' ELSE COALESCE($6, api_key_last4) END,
				enabled_models = COALESCE($7, enabled_models),
				enabled = COALESCE($8, enabled),
				updated_at = now()
			WHERE tenant_id = $1 AND id = $2 RETURNING `+providerColumns,
			tenantID, id, u.Name, u.BaseURL, u.APIKey, u.APIKeyLast4, models, u.Enabled))
		return err
	})
	if err != nil {
		return nil, mapErr("update provider", nameTaken(err))
	}
	return out, nil
}

// DeleteProvider deletes a provider no persona uses.
func (db *DB) DeleteProvider(ctx context.Context, tenantID, id string) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var used int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM personas WHERE tenant_id = $1 AND provider_id = $2`, tenantID, id).Scan(&used); err != nil {
			return err
		}
		if used > 0 {
			return store.ErrInUse
		}
		tag, err := tx.Exec(ctx, `DELETE FROM providers WHERE tenant_id = $1 AND id = $2`, tenantID, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return mapErr("delete provider", err)
}

// nameTaken maps the per-tenant name indexes' violations.
func nameTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" &&
		(pgErr.ConstraintName == "providers_name_key" || pgErr.ConstraintName == "personas_name_key") {
		return store.ErrNameTaken
	}
	return err
}

package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// SecretKeys returns the wrapped data keys, oldest first.
func (db *DB) SecretKeys(ctx context.Context) ([]store.SecretKey, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, wrapped, master_id, created_at FROM secret_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, mapErr("secret keys", err)
	}
	keys, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.SecretKey, error) {
		var k store.SecretKey
		return k, r.Scan(&k.ID, &k.Wrapped, &k.MasterID, &k.CreatedAt)
	})
	return keys, mapErr("secret keys", err)
}

// AddSecretKey stores a wrapped data key.
func (db *DB) AddSecretKey(ctx context.Context, k store.SecretKey) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO secret_keys (id, wrapped, master_id, created_at) VALUES ($1, $2, $3, $4)`,
		k.ID, k.Wrapped, k.MasterID, k.CreatedAt)
	return mapErr("add secret key", err)
}

// TenantIDs lists every tenant id through nyx_tenant_ids().
func (db *DB) TenantIDs(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT nyx_tenant_ids()`)
	if err != nil {
		return nil, mapErr("tenant ids", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, mapErr("tenant ids", err)
}

// RewrapProviderKeys re-seals the tenant's provider keys under row locks.
func (db *DB) RewrapProviderKeys(ctx context.Context, tenantID string, rewrap func(providerID, envelope string) (string, bool, error)) (int, error) {
	changed := 0
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, api_key FROM providers WHERE tenant_id = $1 AND api_key IS NOT NULL FOR UPDATE`, tenantID)
		if err != nil {
			return err
		}
		type row struct{ id, key string }
		list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.id, &x.key)
		})
		if err != nil {
			return err
		}
		for _, x := range list {
			next, ok, err := rewrap(x.id, x.key)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE providers SET api_key = $3 WHERE tenant_id = $1 AND id = $2`, tenantID, x.id, next); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, mapErr("rewrap provider keys", err)
}

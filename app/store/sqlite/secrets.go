package sqlite

import (
	"context"
	"database/sql"

	"github.com/nyxcore/nyxcore/app/store"
)

// SecretKeys returns the wrapped data keys, oldest first.
func (db *DB) SecretKeys(ctx context.Context) ([]store.SecretKey, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, wrapped, master_id, created_at FROM secret_keys ORDER BY created_at, id`)
	if err != nil {
		return nil, mapErr("secret keys", err)
	}
	defer rows.Close()
	out := []store.SecretKey{}
	for rows.Next() {
		var k store.SecretKey
		var created string
		if err := rows.Scan(&k.ID, &k.Wrapped, &k.MasterID, &created); err != nil {
			return nil, mapErr("secret keys", err)
		}
		k.CreatedAt = parseTime(created)
		out = append(out, k)
	}
	return out, mapErr("secret keys", rows.Err())
}

// AddSecretKey stores a wrapped data key.
func (db *DB) AddSecretKey(ctx context.Context, k store.SecretKey) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO secret_keys (id, wrapped, master_id, created_at) VALUES (?, ?, ?, ?)`,
			k.ID, k.Wrapped, k.MasterID, k.CreatedAt.UTC().Format(timeFormat))
		return err
	})
	return mapErr("add secret key", err)
}

// TenantIDs lists every tenant id.
func (db *DB) TenantIDs(ctx context.Context) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id FROM tenants ORDER BY id`)
	if err != nil {
		return nil, mapErr("tenant ids", err)
	}
	ids, err := collectStrings(rows)
	return ids, mapErr("tenant ids", err)
}

// RewrapProviderKeys re-seals the tenant's provider keys in one write transaction.
func (db *DB) RewrapProviderKeys(ctx context.Context, tenantID string, rewrap func(providerID, envelope string) (string, bool, error)) (int, error) {
	changed := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, api_key FROM providers WHERE tenant_id = ? AND api_key IS NOT NULL`, tenantID)
		if err != nil {
			return err
		}
		type row struct{ id, key string }
		var list []row
		for rows.Next() {
			var x row
			if err := rows.Scan(&x.id, &x.key); err != nil {
				rows.Close()
				return err
			}
			list = append(list, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
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
			if _, err := tx.ExecContext(ctx, `UPDATE providers SET api_key = ? WHERE tenant_id = ? AND id = ?`, next, tenantID, x.id); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, mapErr("rewrap provider keys", err)
}

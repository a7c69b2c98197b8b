package sqlite

import (
	"context"
	"database/sql"

	"github.com/nyxcore/nyxcore/app/store"
)

// AddUsage adds tokens to the day's counter.
func (db *DB) AddUsage(ctx context.Context, tenantID, userID, day string, tokens int64) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO usage_daily (tenant_id, user_id, day, tokens) VALUES (?, ?, ?, ?)
			ON CONFLICT (tenant_id, user_id, day) DO UPDATE SET tokens = tokens + excluded.tokens`, tenantID, userID, day, tokens)
		return err
	})
	return mapErr("add usage", err)
}

// SumUsage sums the day and its month for the tenant and the user.
func (db *DB) SumUsage(ctx context.Context, tenantID, userID, day string) (store.Usage, error) {
	var u store.Usage
	err := db.reader.QueryRowContext(ctx, `SELECT
			COALESCE(sum(CASE WHEN day = ?3 THEN tokens END), 0), COALESCE(sum(tokens), 0),
			COALESCE(sum(CASE WHEN day = ?3 AND user_id = ?2 THEN tokens END), 0), COALESCE(sum(CASE WHEN user_id = ?2 THEN tokens END), 0)
		FROM usage_daily WHERE tenant_id = ?1 AND day LIKE ?4`, tenantID, userID, day, day[:7]+"-%").
		Scan(&u.TenantDay, &u.TenantMonth, &u.UserDay, &u.UserMonth)
	return u, mapErr("sum usage", err)
}

// GetBudget returns the tenant's override.
func (db *DB) GetBudget(ctx context.Context, tenantID string) (*store.Budget, error) {
	var b store.Budget
	err := db.reader.QueryRowContext(ctx, `SELECT tenant_id, tenant_daily, tenant_monthly, user_daily, user_monthly FROM tenant_budgets WHERE tenant_id = ?`, tenantID).
		Scan(&b.TenantID, &b.TenantDaily, &b.TenantMonthly, &b.UserDaily, &b.UserMonthly)
	if err != nil {
		return nil, mapErr("get budget", err)
	}
	return &b, nil
}

// SetBudget writes the tenant's override.
func (db *DB) SetBudget(ctx context.Context, b store.Budget) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := tenantExists(ctx, tx, b.TenantID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tenant_budgets (tenant_id, tenant_daily, tenant_monthly, user_daily, user_monthly, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET tenant_daily = excluded.tenant_daily, tenant_monthly = excluded.tenant_monthly,
				user_daily = excluded.user_daily, user_monthly = excluded.user_monthly, updated_at = excluded.updated_at`,
			b.TenantID, b.TenantDaily, b.TenantMonthly, b.UserDaily, b.UserMonthly, now())
		return err
	})
	return mapErr("set budget", err)
}

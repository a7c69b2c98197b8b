package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// AddUsage adds tokens to the day's counter.
func (db *DB) AddUsage(ctx context.Context, tenantID, userID, day string, tokens int64) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO usage_daily (tenant_id, user_id, day, tokens) VALUES ($1, $2, $3, $4)
			ON CONFLICT (tenant_id, user_id, day) DO UPDATE SET tokens = usage_daily.tokens + EXCLUDED.tokens`, tenantID, userID, day, tokens)
		return err
	})
	return mapErr("add usage", err)
}

// SumUsage sums the day and its month for the tenant and the user.
func (db *DB) SumUsage(ctx context.Context, tenantID, userID, day string) (store.Usage, error) {
	var u store.Usage
	err := db.queryTenant(ctx, tenantID, `SELECT
			COALESCE(sum(tokens) FILTER (WHERE day = $3), 0), COALESCE(sum(tokens), 0),
			COALESCE(sum(tokens) FILTER (WHERE day = $3 AND user_id = $2), 0), COALESCE(sum(tokens) FILTER (WHERE user_id = $2), 0)
		FROM usage_daily WHERE tenant_id = $1 AND day LIKE $4`, []any{tenantID, userID, day, day[:7] + "-%"},
		func(rows pgx.Rows) error {
			var err error
			u, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (store.Usage, error) {
				var x store.Usage
				return x, r.Scan(&x.TenantDay, &x.TenantMonth, &x.UserDay, &x.UserMonth)
			})
			return err
		})
	return u, mapErr("sum usage", err)
}

// GetBudget returns the tenant's override.
func (db *DB) GetBudget(ctx context.Context, tenantID string) (*store.Budget, error) {
	var b *store.Budget
	err := db.queryTenant(ctx, tenantID, `SELECT tenant_id, tenant_daily, tenant_monthly, user_daily, user_monthly FROM tenant_budgets WHERE tenant_id = $1`,
		[]any{tenantID}, func(rows pgx.Rows) error {
			var err error
			b, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Budget, error) {
				var x store.Budget
				return &x, r.Scan(&x.TenantID, &x.TenantDaily, &x.TenantMonthly, &x.UserDaily, &x.UserMonthly)
			})
			return err
		})
	if err != nil {
		return nil, mapErr("get budget", err)
	}
	return b, nil
}

// SetBudget writes the tenant's override.
func (db *DB) SetBudget(ctx context.Context, b store.Budget) error {
	err := db.withTenantTx(ctx, b.TenantID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO tenant_budgets (tenant_id, tenant_daily, tenant_monthly, user_daily, user_monthly) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (tenant_id) DO UPDATE SET tenant_daily = EXCLUDED.tenant_daily, tenant_monthly = EXCLUDED.tenant_monthly,
				user_daily = EXCLUDED.user_daily, user_monthly = EXCLUDED.user_monthly, updated_at = now()`,
			b.TenantID, b.TenantDaily, b.TenantMonthly, b.UserDaily, b.UserMonthly)
		return userFK(err)
	})
	return mapErr("set budget", err)
}

package store

import "context"

// Budget is a tenant's token budget override; a nil field uses the
// server's default, 0 means unlimited.
type Budget struct {
	TenantID      string
	TenantDaily   *int64
	TenantMonthly *int64
	UserDaily     *int64
	UserMonthly   *int64
}

// Usage is LLM tokens used, summed for a tenant and one of its users.
type Usage struct {
	TenantDay, TenantMonth int64
	UserDay, UserMonth     int64
}

// BudgetStore holds usage and budgets. Tenancy as for Store; days are
// "YYYY-MM-DD" in UTC and months their "YYYY-MM" prefix.
type BudgetStore interface {
	AddUsage(ctx context.Context, tenantID, userID, day string, tokens int64) error
	SumUsage(ctx context.Context, tenantID, userID, day string) (Usage, error)
	// GetBudget returns the override, or ErrNotFound when there is none.
	GetBudget(ctx context.Context, tenantID string) (*Budget, error)
	SetBudget(ctx context.Context, b Budget) error
}

// Package budget limits LLM tokens per tenant and per user, per day and
// per month (UTC). A turn is refused before it starts once a budget is
// spent, and charged from the real usage the providers report after it.
// Operators set server-wide defaults and per-tenant overrides.
package budget

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// Limits are token budgets; 0 means unlimited.
type Limits struct {
	TenantDaily, TenantMonthly int64
	UserDaily, UserMonthly     int64
}

// ErrExceeded matches every *ExceededError.
var ErrExceeded = errors.New("token budget exceeded")

// ExceededError names the budget that is spent.
type ExceededError struct {
	Scope, Period string // "tenant" or "user"; "day" or "month"
	Used, Limit   int64
}

// Error says which budget and by how much.
func (e *ExceededError) Error() string {
	return fmt.Sprintf("the %s's %sly token budget is spent (%d of %d)", e.Scope, e.Period, e.Used, e.Limit)
}

// Is makes errors.Is(err, ErrExceeded) true.
func (e *ExceededError) Is(target error) bool { return target == ErrExceeded }

// Reservation is what Reserve sets aside for a turn before its real
// usage is known: concurrent turns see each other's reservations, so a
// budget with room for one turn grants exactly one.
const Reservation = 256

// Budgets is safe for concurrent use.
type Budgets struct {
	st       store.BudgetStore
	defaults Limits
	now      func() time.Time
	mu       sync.Mutex // orders check-and-reserve; one process serves a data plane's turns
}

// New returns Budgets over st with the server's defaults.
func New(st store.BudgetStore, defaults Limits) *Budgets {
	return &Budgets{st: st, defaults: defaults, now: time.Now}
}

// Status is usage against limits for a tenant and one user.
type Status struct {
	Limits Limits      `json:"limits"`
	Usage  store.Usage `json:"usage"`
}

// Get returns the limits in force for tenantID and the usage so far.
func (b *Budgets) Get(ctx context.Context, tenantID, userID string) (Status, error) {
	l, err := b.limits(ctx, tenantID)
	if err != nil {
		return Status{}, err
	}
	u, err := b.st.SumUsage(ctx, tenantID, userID, b.day())
	return Status{Limits: l, Usage: u}, err
}

// Check refuses when any budget of the tenant or the user is spent.
func (b *Budgets) Check(ctx context.Context, tenantID, userID string) error {
	s, err := b.Get(ctx, tenantID, userID)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		scope, period string
		used, limit   int64
	}{
		{"tenant", "day", s.Usage.TenantDay, s.Limits.TenantDaily},
		{"tenant", "month", s.Usage.TenantMonth, s.Limits.TenantMonthly},
		{"user", "day", s.Usage.UserDay, s.Limits.UserDaily},
		{"user", "month", s.Usage.UserMonth, s.Limits.UserMonthly},
	} {
		if c.limit > 0 && c.used >= c.limit {
			return &ExceededError{Scope: c.scope, Period: c.period, Used: c.used, Limit: c.limit}
		}
	}
	return nil
}

// Reserve checks the budgets and, if none is spent, sets Reservation
// tokens aside until release is called (after the turn charged its real
// usage). Checking and reserving happen under one lock, so concurrent
// callers cannot all slip through the same remaining room.
func (b *Budgets) Reserve(ctx context.Context, tenantID, userID string) (release func(), err error) {
	l, err := b.limits(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if l == (Limits{}) {
		return func() {}, nil // nothing is limited: no lock, no write on the way to the first token
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.Check(ctx, tenantID, userID); err != nil {
		return nil, err
	}
	day := b.day()
	if err := b.st.AddUsage(ctx, tenantID, userID, day, Reservation); err != nil {
		return nil, err
	}
	return func() {
		b.st.AddUsage(context.Background(), tenantID, userID, day, -Reservation) //nolint:errcheck // a lost release only overcounts
	}, nil
}

// Charge adds tokens used on behalf of userID.
func (b *Budgets) Charge(ctx context.Context, tenantID, userID string, tokens int64) error {
	if tokens <= 0 {
		return nil
	}
	return b.st.AddUsage(ctx, tenantID, userID, b.day(), tokens)
}

func (b *Budgets) day() string { return b.now().UTC().Format("2006-01-02") }

// limits merges the tenant's override over the defaults.
func (b *Budgets) limits(ctx context.Context, tenantID string) (Limits, error) {
	l := b.defaults
	o, err := b.st.GetBudget(ctx, tenantID)
	if errors.Is(err, store.ErrNotFound) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	for _, f := range []struct {
		dst *int64
		src *int64
	}{{&l.TenantDaily, o.TenantDaily}, {&l.TenantMonthly, o.TenantMonthly}, {&l.UserDaily, o.UserDaily}, {&l.UserMonthly, o.UserMonthly}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	return l, nil
}

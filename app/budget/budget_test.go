package budget

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func setup(t *testing.T, defaults Limits) (*Budgets, store.Store, string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"})
	tn, err := st.CreateTenant(ctx, "acme", "Acme", "u1")
	if err != nil {
		t.Fatal(err)
	}
	return New(st, defaults), st, tn.ID
}

func ptr(n int64) *int64 { return &n }

func TestBudgetsRefuseOnceSpent(t *testing.T) {
	ctx := context.Background()
	b, _, tenant := setup(t, Limits{UserDaily: 100, TenantMonthly: 1000})
	clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	b.now = func() time.Time { return clock }
	if err := b.Check(ctx, tenant, "u1"); err != nil {
		t.Fatal(err)
	}
	b.Charge(ctx, tenant, "u1", 60)
	b.Charge(ctx, tenant, "u1", 50)
	err := b.Check(ctx, tenant, "u1")
	var ex *ExceededError
	if !errors.As(err, &ex) || ex.Scope != "user" || ex.Period != "day" || ex.Used != 110 || !errors.Is(err, ErrExceeded) {
		t.Fatalf("Check after 110 of 100 = %v", err)
	}
	if err := b.Check(ctx, tenant, "u2"); err != nil {
		t.Fatalf("another user is not limited by u1's day: %v", err)
	}
	clock = clock.Add(24 * time.Hour) // a new day; the month goes on
	if err := b.Check(ctx, tenant, "u1"); err != nil {
		t.Fatalf("next day: %v", err)
	}
	for i := 0; i < 9; i++ {
		b.Charge(ctx, tenant, "u3", 100)
	}
	err = b.Check(ctx, tenant, "u1")
	if !errors.As(err, &ex) || ex.Scope != "tenant" || ex.Period != "month" {
		t.Fatalf("tenant month spent: %v", err)
	}
	clock = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if err := b.Check(ctx, tenant, "u1"); err != nil {
		t.Fatalf("a new month: %v", err)
	}
}

func TestOverridesAndConcurrentCharges(t *testing.T) {
	ctx := context.Background()
	b, st, tenant := setup(t, Limits{UserDaily: 10})
	if err := st.SetBudget(ctx, store.Budget{TenantID: tenant, UserDaily: ptr(0), TenantDaily: ptr(500)}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); b.Charge(ctx, tenant, "u1", 10) }()
	}
	wg.Wait()
	s, err := b.Get(ctx, tenant, "u1")
	if err != nil || s.Usage.TenantDay != 500 || s.Limits.UserDaily != 0 || s.Limits.TenantDaily != 500 {
		t.Fatalf("status = %+v, %v: no charge may be lost and the override wins", s, err)
	}
	if err := b.Check(ctx, tenant, "u1"); !errors.Is(err, ErrExceeded) {
		t.Fatalf("tenant day at its override: %v", err)
	}
}

// TestReserveNeverOverGrants: with room for one turn, twenty concurrent
// callers get exactly one grant.
func TestReserveNeverOverGrants(t *testing.T) {
	ctx := context.Background()
	b, _, tenant := setup(t, Limits{UserDaily: 100})
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Reserve(ctx, tenant, "u1"); err == nil {
				mu.Lock()
				granted++
				mu.Unlock()
			} else if !errors.Is(err, ErrExceeded) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if granted != 1 {
		t.Fatalf("%d of 20 concurrent turns were granted, want 1", granted)
	}
}

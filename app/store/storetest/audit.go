package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

// testAuditTenantIDs: the audit table names every tenant with a chain,
// including one that was deleted (entries outlive their tenant).
func testAuditTenantIDs(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	seal := func(e *store.AuditEntry) string { return "h" + e.Action }
	for _, id := range []string{f.a.ID, f.b.ID} {
		if _, err := s.AppendAudit(ctx, store.AuditEntry{TenantID: id, Action: "x"}, seal); err != nil {
			t.Fatal(err)
		}
	}
	must(t, s.DeleteTenant(ctx, f.b.ID))
	ids, err := s.AuditTenantIDs(ctx)
	must(t, err)
	if !slices.Contains(ids, f.a.ID) || !slices.Contains(ids, f.b.ID) || len(ids) != 2 {
		t.Fatalf("AuditTenantIDs = %v, want %s and the deleted %s", ids, f.a.ID, f.b.ID)
	}
	if live, _ := s.TenantIDs(ctx); slices.Contains(live, f.b.ID) {
		t.Fatalf("deleted tenant still listed: %v", live)
	}
}

// testResealAuditScope: ResealAudit visits the tenant's own chain in order
// and nothing else, and a refusal changes nothing.
func testResealAuditScope(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	seal := func(e *store.AuditEntry) string { return "h" + e.Action }
	for _, e := range []store.AuditEntry{{TenantID: f.a.ID, Action: "a.one"}, {TenantID: f.a.ID, Action: "a.two"}, {TenantID: f.b.ID, Action: "b.one"}} {
		if _, err := s.AppendAudit(ctx, e, seal); err != nil {
			t.Fatal(err)
		}
	}
	var seen []string
	n, err := s.ResealAudit(ctx, f.a.ID, func(e *store.AuditEntry) error {
		seen = append(seen, e.TenantID+"/"+e.Action)
		return nil
	})
	if err != nil || n != 0 || !slices.Equal(seen, []string{f.a.ID + "/a.one", f.a.ID + "/a.two"}) {
		t.Fatalf("ResealAudit(A) visited %v, changed %d, %v; want A's two entries in order, none changed", seen, n, err)
	}
	refuse := errors.New("refused")
	_, err = s.ResealAudit(ctx, f.b.ID, func(e *store.AuditEntry) error {
		e.Hash = "forged"
		return refuse
	})
	if !errors.Is(err, refuse) {
		t.Fatalf("ResealAudit(B) = %v, want the refusal", err)
	}
	list, err := s.ListAudit(ctx, f.b.ID, store.FindAudit{Limit: 10})
	must(t, err)
	if len(list) != 1 || list[0].Hash != "hb.one" {
		t.Fatalf("a refused reseal changed B's chain: %+v", list)
	}
}

// Package storetest is the conformance and isolation suite every store
// driver must pass. A driver's test calls Run with a function that opens a
// fresh, empty, migrated store.
package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

// Opener returns a fresh, empty, migrated store; the suite closes it.
type Opener func(t *testing.T) store.Store

// Run runs every conformance and isolation test against the driver.
func Run(t *testing.T, open Opener) {
	suites := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"TenantLifecycle", testTenantLifecycle},
		{"TenantUniqueness", testTenantUniqueness},
		{"ResolveTenant", testResolveTenant},
		{"MarkDomainVerified", testMarkDomainVerified},
		{"SlugHolds", testSlugHolds},
		{"SlugHoldRace", testSlugHoldRace},
		{"Users", testUsers},
		{"Members", testMembers},
		{"LastOwner", testLastOwner},
		{"DeleteUser", testDeleteUser},
		{"IsolationReads", testIsolationReads},
		{"IsolationWrites", testIsolationWrites},
		{"NoTenantSeesNothing", testNoTenant},
		{"ConcurrentTenantsDoNotBleed", testConcurrentTenants},
		{"Providers", testProviders},
		{"Personas", testPersonas},
		{"ModelIsolation", testModelIsolation},
		{"Secrets", testSecrets},
		{"Discussions", testDiscussions},
		{"DiscussionIsolation", testDiscussionIsolation},
		{"AuditIsolation", testAuditIsolation},
		{"AuditTenantIDs", testAuditTenantIDs},
		{"ResealAuditScope", testResealAuditScope},
		{"BudgetIsolation", testBudgetIsolation},
		{"Invitations", testInvitations},
		{"InvitationStates", testInvitationStates},
		{"InvitationIsolation", testInvitationIsolation},
		{"AccountEvents", testAccountEvents},
	}
	for _, sc := range suites {
		t.Run(sc.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			sc.fn(t, s)
		})
	}
}

// fixture is two tenants, each with an owner, plus a user in neither.
type fixture struct {
	a, b             *store.Tenant
	ownerA, ownerB   string
	outsider, member string
}

func newFixture(t *testing.T, s store.Store) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{ownerA: "useralice00001", ownerB: "userbob0000002", outsider: "usereve0000003", member: "usercarol00004"}
	for _, u := range []store.User{
		{ID: f.ownerA, Email: "alice@example.com", Name: "Alice"},
		{ID: f.ownerB, Email: "bob@example.com", Name: "Bob"},
		{ID: f.outsider, Email: "eve@example.com", Name: "Eve"},
		{ID: f.member, Email: "Carol@Example.com", Name: "Carol"},
	} {
		must(t, s.UpsertUser(ctx, u))
	}
	var err error
	f.a, err = s.CreateTenant(ctx, "acme", "Acme", f.ownerA)
	must(t, err)
	f.b, err = s.CreateTenant(ctx, "bravo", "Bravo", f.ownerB)
	must(t, err)
	_, err = s.AddMember(ctx, f.a.ID, f.member, "member")
	must(t, err)
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

func ptr(s string) *string { return &s }

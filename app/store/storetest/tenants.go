package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

func testTenantLifecycle(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	got, err := s.GetTenant(ctx, f.a.ID)
	must(t, err)
	if got.Slug != "acme" || got.Name != "Acme" || got.CustomDomain != nil || got.CreatedAt.IsZero() {
		t.Fatalf("GetTenant = %+v", got)
	}
	m, err := s.GetMember(ctx, f.a.ID, f.ownerA)
	must(t, err)
	if m.Role != "owner" || m.Email != "alice@example.com" {
		t.Fatalf("creator membership = %+v, want owner", m)
	}

	up, err := s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Name: ptr("Acme Inc"), CustomDomain: ptr("chat.acme.example")})
	must(t, err)
	if up.Name != "Acme Inc" || up.Slug != "acme" || up.CustomDomain == nil || *up.CustomDomain != "chat.acme.example" {
		t.Fatalf("UpdateTenant = %+v", up)
	}
	must(t, s.MarkDomainVerified(ctx, f.a.ID, "chat.acme.example", time.Now()))
	got, _ = s.GetTenant(ctx, f.a.ID)
	if got.CustomDomainVerifiedAt == nil {
		t.Fatal("domain not marked verified")
	}
	got, err = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{Slug: ptr("acme-2")})
	must(t, err)
	if got.CustomDomainVerifiedAt == nil || got.Slug != "acme-2" {
		t.Fatalf("renaming the slug must keep the domain verified: %+v", got)
	}
	got, err = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{CustomDomain: ptr("other.acme.example")})
	must(t, err)
	if got.CustomDomainVerifiedAt != nil {
		t.Fatal("changing the domain must clear its verification")
	}
	got, err = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{CustomDomain: ptr("")})
	must(t, err)
	if got.CustomDomain != nil {
		t.Fatalf("empty custom domain should clear it, got %q", *got.CustomDomain)
	}

	must(t, s.DeleteTenant(ctx, f.a.ID))
	_, err = s.GetTenant(ctx, f.a.ID)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetMember(ctx, f.a.ID, f.ownerA)
	wantErr(t, err, store.ErrNotFound)
	ms, err := s.ListMemberships(ctx, f.ownerA)
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("memberships of a deleted tenant remain: %+v", ms)
	}
	wantErr(t, s.DeleteTenant(ctx, f.a.ID), store.ErrNotFound)
	if _, err := s.GetTenant(ctx, f.b.ID); err != nil {
		t.Fatalf("deleting A touched B: %v", err)
	}
}

func testTenantUniqueness(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.CreateTenant(ctx, "acme", "Another", f.ownerB)
	wantErr(t, err, store.ErrSlugTaken)
	_, err = s.UpdateTenant(ctx, f.b.ID, store.UpdateTenant{Slug: ptr("acme")})
	wantErr(t, err, store.ErrSlugTaken)
	_, err = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{CustomDomain: ptr("x.example")})
	must(t, err)
	_, err = s.UpdateTenant(ctx, f.b.ID, store.UpdateTenant{CustomDomain: ptr("x.example")})
	wantErr(t, err, store.ErrDomainTaken)
	b, _ := s.GetTenant(ctx, f.b.ID)
	if b.Slug != "bravo" || b.CustomDomain != nil {
		t.Fatalf("a refused update changed the tenant: %+v", b)
	}
	_, err = s.CreateTenant(ctx, "ghost", "Ghost", "no-such-user")
	wantErr(t, err, store.ErrNotFound)
	if _, err := s.ResolveTenant(ctx, store.FindTenant{Slug: "ghost"}); err == nil {
		t.Fatal("a failed create left a tenant behind")
	}
}

func testResolveTenant(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{CustomDomain: ptr("chat.acme.example")})
	must(t, err)
	cases := []struct {
		name string
		find store.FindTenant
		want string
	}{
		{"by id", store.FindTenant{ID: f.b.ID}, f.b.ID},
		{"by slug", store.FindTenant{Slug: "acme"}, f.a.ID},
		{"unknown slug", store.FindTenant{Slug: "nope"}, ""},
		{"unverified domain", store.FindTenant{Domain: "chat.acme.example"}, ""},
		{"nothing", store.FindTenant{}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.ResolveTenant(ctx, c.find)
			if c.want == "" {
				wantErr(t, err, store.ErrNotFound)
				return
			}
			must(t, err)
			if got != c.want {
				t.Fatalf("ResolveTenant = %q, want %q", got, c.want)
			}
		})
	}
	must(t, s.MarkDomainVerified(ctx, f.a.ID, "chat.acme.example", time.Now()))
	got, err := s.ResolveTenant(ctx, store.FindTenant{Domain: "chat.acme.example"})
	must(t, err)
	if got != f.a.ID {
		t.Fatalf("verified domain resolved to %q, want %q", got, f.a.ID)
	}
}

// testMarkDomainVerified checks that only the proven domain is ever marked:
// a domain changed or cleared after the proof stays unverified and does not
// route, whatever order the change and the mark arrive in.
func testMarkDomainVerified(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	setDomain := func(t *testing.T, tenantID, domain string) {
		t.Helper()
		_, err := s.UpdateTenant(ctx, tenantID, store.UpdateTenant{CustomDomain: ptr(domain)})
		must(t, err)
	}
	routes := func(domain string) string {
		id, err := s.ResolveTenant(ctx, store.FindTenant{Domain: domain})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ResolveTenant(%q): %v", domain, err)
		}
		return id
	}
	setDomain(t, f.b.ID, "chat.bravo.example")
	cases := []struct {
		name    string
		current string // the tenant's domain when the mark arrives
		proven  string
		want    error
	}{
		{"changed after the proof", "new.acme.example", "old.acme.example", store.ErrDomainChanged},
		{"cleared after the proof", "", "old.acme.example", store.ErrDomainChanged},
		{"another tenant's domain", "new.acme.example", "chat.bravo.example", store.ErrDomainChanged},
		{"still the proven one", "old.acme.example", "old.acme.example", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setDomain(t, f.a.ID, c.current)
			wantErr(t, s.MarkDomainVerified(ctx, f.a.ID, c.proven, time.Now()), c.want)
			got, err := s.GetTenant(ctx, f.a.ID)
			must(t, err)
			if verified := got.CustomDomainVerifiedAt != nil; verified != (c.want == nil) {
				t.Fatalf("verified = %v after marking %q while %q was current", verified, c.proven, c.current)
			}
			if c.want == nil && routes(c.proven) != f.a.ID {
				t.Fatalf("%q does not route to the tenant that proved it", c.proven)
			}
			if c.want != nil && (routes(c.proven) == f.a.ID || (c.current != "" && routes(c.current) != "")) {
				t.Fatalf("a domain nobody proved routes to acme")
			}
			if routes("chat.bravo.example") != "" {
				t.Fatal("bravo's unproven domain routes")
			}
		})
	}
	t.Run("unknown tenant", func(t *testing.T) {
		wantErr(t, s.MarkDomainVerified(ctx, store.NewID(), "old.acme.example", time.Now()), store.ErrNotFound)
	})
	t.Run("change racing the mark", func(t *testing.T) {
		for i := 0; i < 20; i++ {
			setDomain(t, f.a.ID, "race.acme.example")
			var wg sync.WaitGroup
			var markErr, setErr error
			wg.Add(2)
			go func() {
				defer wg.Done()
				markErr = s.MarkDomainVerified(ctx, f.a.ID, "race.acme.example", time.Now())
			}()
			go func() {
				defer wg.Done()
				_, setErr = s.UpdateTenant(ctx, f.a.ID, store.UpdateTenant{CustomDomain: ptr("swapped.acme.example")})
			}()
			wg.Wait()
			must(t, setErr)
			if markErr != nil && !errors.Is(markErr, store.ErrDomainChanged) {
				t.Fatalf("mark: %v", markErr)
			}
			if routes("swapped.acme.example") != "" {
				t.Fatalf("round %d: the domain set during the mark was verified without proof", i)
			}
		}
	})
}

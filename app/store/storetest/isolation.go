package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

// testIsolationReads: tenant B's context never sees tenant A's rows.
func testIsolationReads(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.GetMember(ctx, f.b.ID, f.ownerA)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetMember(ctx, f.b.ID, f.member)
	wantErr(t, err, store.ErrNotFound)
	list, err := s.ListMembers(ctx, f.b.ID)
	must(t, err)
	if len(list) != 1 || list[0].UserID != f.ownerB {
		t.Fatalf("B's members = %+v, want only B's owner", list)
	}
	ms, err := s.ListMemberships(ctx, f.ownerB)
	must(t, err)
	if len(ms) != 1 || ms[0].Tenant.ID != f.b.ID {
		t.Fatalf("B owner's memberships = %+v", ms)
	}
	ms, err = s.ListMemberships(ctx, f.outsider)
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("an outsider sees tenants: %+v", ms)
	}
}

// testIsolationWrites: tenant B's context never updates or deletes A's rows.
func testIsolationWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.UpdateMemberRole(ctx, f.b.ID, f.member, "admin")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.RemoveMember(ctx, f.b.ID, f.member), store.ErrNotFound)
	wantErr(t, s.RemoveMember(ctx, f.b.ID, f.ownerA), store.ErrNotFound)
	m, err := s.GetMember(ctx, f.a.ID, f.member)
	must(t, err)
	if m.Role != "member" {
		t.Fatalf("B's context changed A's member: %+v", m)
	}
	a, err := s.GetTenant(ctx, f.a.ID)
	must(t, err)
	if a.Name != "Acme" {
		t.Fatalf("A changed: %+v", a)
	}
	list, _ := s.ListMembers(ctx, f.a.ID)
	if len(list) != 2 {
		t.Fatalf("A's members after B's attempts = %+v", list)
	}
}

// testNoTenant: with no tenant set, nothing tenant-owned is visible.
func testNoTenant(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.GetTenant(ctx, "")
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetMember(ctx, "", f.ownerA)
	wantErr(t, err, store.ErrNotFound)
	list, err := s.ListMembers(ctx, "")
	if err == nil && len(list) != 0 {
		t.Fatalf("members with no tenant = %+v", list)
	}
	ms, err := s.ListMemberships(ctx, "")
	if err == nil && len(ms) != 0 {
		t.Fatalf("memberships with no user = %+v", ms)
	}
	_, err = s.UpdateMemberRole(ctx, "", f.member, "admin")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.RemoveMember(ctx, "", f.member), store.ErrNotFound)
}

// testConcurrentTenants interleaves both tenants' work on shared pools:
// no answer ever contains the other tenant's rows.
func testConcurrentTenants(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tenant, want := f.a.ID, 2
			if i%2 == 1 {
				tenant, want = f.b.ID, 1
			}
			for j := 0; j < 20; j++ {
				list, err := s.ListMembers(ctx, tenant)
				if err != nil {
					errs <- err
					return
				}
				if len(list) != want {
					errs <- fmt.Errorf("tenant %s saw %d members, want %d", tenant, len(list), want)
					return
				}
				for _, m := range list {
					if m.TenantID != tenant {
						errs <- fmt.Errorf("tenant %s saw a row of %s", tenant, m.TenantID)
						return
					}
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

package storetest

import (
	"context"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

func testUsers(t *testing.T, s store.Store) {
	ctx := context.Background()
	must(t, s.UpsertUser(ctx, store.User{ID: "u1", Email: "Dana@Example.com", Name: "Dana"}))
	u, err := s.FindUserByEmail(ctx, "dana@example.COM")
	must(t, err)
	if u.ID != "u1" || u.Name != "Dana" {
		t.Fatalf("FindUserByEmail = %+v", u)
	}
	must(t, s.UpsertUser(ctx, store.User{ID: "u1", Email: "dana@new.example", Name: "Dana B"}))
	u, err = s.GetUser(ctx, "u1")
	must(t, err)
	if u.Email != "dana@new.example" || u.Name != "Dana B" {
		t.Fatalf("upsert did not update: %+v", u)
	}
	_, err = s.FindUserByEmail(ctx, "Dana@Example.com")
	wantErr(t, err, store.ErrNotFound)
	ids, err := s.ListUserIDs(ctx)
	must(t, err)
	if len(ids) != 1 || ids[0] != "u1" {
		t.Fatalf("ListUserIDs = %v", ids)
	}
}

func testMembers(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	m, err := s.AddMember(ctx, f.a.ID, f.outsider, "viewer")
	must(t, err)
	if m.Role != "viewer" || m.Email != "eve@example.com" || m.TenantID != f.a.ID {
		t.Fatalf("AddMember = %+v", m)
	}
	_, err = s.AddMember(ctx, f.a.ID, f.outsider, "admin")
	wantErr(t, err, store.ErrAlreadyMember)
	_, err = s.AddMember(ctx, f.a.ID, "no-such-user", "member")
	wantErr(t, err, store.ErrNotFound)

	list, err := s.ListMembers(ctx, f.a.ID)
	must(t, err)
	if len(list) != 3 || list[0].UserID != f.ownerA {
		t.Fatalf("ListMembers = %+v, want owner first of 3", list)
	}
	m, err = s.UpdateMemberRole(ctx, f.a.ID, f.outsider, "admin")
	must(t, err)
	if m.Role != "admin" {
		t.Fatalf("UpdateMemberRole = %+v", m)
	}
	_, err = s.UpdateMemberRole(ctx, f.a.ID, f.ownerB, "admin")
	wantErr(t, err, store.ErrNotFound)

	ms, err := s.ListMemberships(ctx, f.outsider)
	must(t, err)
	if len(ms) != 1 || ms[0].Tenant.ID != f.a.ID || ms[0].Role != "admin" || ms[0].Tenant.Slug != "acme" {
		t.Fatalf("ListMemberships = %+v", ms)
	}
	must(t, s.RemoveMember(ctx, f.a.ID, f.outsider))
	wantErr(t, s.RemoveMember(ctx, f.a.ID, f.outsider), store.ErrNotFound)
	ms, err = s.ListMemberships(ctx, f.outsider)
	must(t, err)
	if len(ms) != 0 {
		t.Fatalf("ListMemberships after removal = %+v", ms)
	}
}

func testLastOwner(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	_, err := s.UpdateMemberRole(ctx, f.a.ID, f.ownerA, "admin")
	wantErr(t, err, store.ErrLastOwner)
	wantErr(t, s.RemoveMember(ctx, f.a.ID, f.ownerA), store.ErrLastOwner)
	if m, _ := s.GetMember(ctx, f.a.ID, f.ownerA); m == nil || m.Role != "owner" {
		t.Fatalf("refused change altered the owner: %+v", m)
	}
	_, err = s.UpdateMemberRole(ctx, f.a.ID, f.member, "owner")
	must(t, err)
	_, err = s.UpdateMemberRole(ctx, f.a.ID, f.ownerA, "member")
	must(t, err)
	wantErr(t, s.RemoveMember(ctx, f.a.ID, f.member), store.ErrLastOwner)
}

func testDeleteUser(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	sole, err := s.OwnedSoleTenants(ctx, f.ownerA)
	must(t, err)
	if len(sole) != 1 || sole[0] != "acme" {
		t.Fatalf("OwnedSoleTenants = %v, want [acme]", sole)
	}
	wantErr(t, s.DeleteUser(ctx, f.ownerA), store.ErrLastOwner)
	if _, err := s.GetMember(ctx, f.a.ID, f.ownerA); err != nil {
		t.Fatalf("refused delete removed the membership: %v", err)
	}
	must(t, s.DeleteUser(ctx, f.member))
	_, err = s.GetMember(ctx, f.a.ID, f.member)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.GetUser(ctx, f.member)
	wantErr(t, err, store.ErrNotFound)
	must(t, s.DeleteUser(ctx, "never-existed"))
}

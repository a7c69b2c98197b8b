package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

func invite(t *testing.T, s store.Store, tenantID, email, role, hash string, at time.Time) *store.Invitation {
	t.Helper()
	inv, err := s.UpsertInvitation(context.Background(), store.Invitation{TenantID: tenantID, Email: email, Role: role,
		InvitedBy: "someone", CreatedAt: at, ExpiresAt: at.Add(7 * 24 * time.Hour)}, hash)
	must(t, err)
	return inv
}

// testInvitations: an invitation changes nothing until it is accepted;
// re-inviting refreshes the one open invitation; answers are single-use.
func testInvitations(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	now := time.Now().UTC().Truncate(time.Millisecond)
	first := invite(t, s, f.a.ID, "Eve@Example.com", "viewer", "hash-1", now)
	if first.Email != "eve@example.com" || first.Role != "viewer" || !first.Open() || first.ID == "" {
		t.Fatalf("invitation = %+v", first)
	}
	if _, err := s.GetMember(ctx, f.a.ID, f.outsider); err == nil {
		t.Fatal("an invitation made a member")
	}
	again := invite(t, s, f.a.ID, "eve@example.com", "admin", "hash-2", now.Add(time.Minute))
	if again.ID != first.ID || again.Role != "admin" || !again.ExpiresAt.After(first.ExpiresAt) {
		t.Fatalf("re-invite = %+v, want the same invitation refreshed", again)
	}
	list, err := s.ListInvitations(ctx, f.a.ID)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("open invitations = %+v", list)
	}
	// The old token died with the refresh.
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "hash-1", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrNotFound)

	mine, err := s.ListInvitationsForEmail(ctx, "EVE@example.com", now)
	must(t, err)
	if len(mine) != 1 || mine[0].TenantSlug != "acme" || mine[0].TenantName != "Acme" {
		t.Fatalf("eve's invitations = %+v", mine)
	}
	// Addressed to eve: nobody else's address finds it.
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{ID: first.ID, Email: "carol@example.com", UserID: f.member, Accept: true, At: now})
	wantErr(t, err, store.ErrNotFound)

	got, err := s.AnswerInvitation(ctx, store.InvitationAnswer{ID: first.ID, Email: "eve@example.com", UserID: f.outsider, Accept: true, At: now})
	must(t, err)
	if got.AcceptedAt == nil || got.AcceptedBy != f.outsider || got.TenantSlug != "acme" {
		t.Fatalf("accepted = %+v", got)
	}
	m, err := s.GetMember(ctx, f.a.ID, f.outsider)
	must(t, err)
	if m.Role != "admin" {
		t.Fatalf("member role = %s, want the invited admin", m.Role)
	}
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "hash-2", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrInvitationUsed)
	if l, _ := s.ListInvitations(ctx, f.a.ID); len(l) != 0 {
		t.Fatalf("an accepted invitation is still open: %+v", l)
	}
	if l, _ := s.ListInvitationsForEmail(ctx, "eve@example.com", now); len(l) != 0 {
		t.Fatalf("an accepted invitation is still listed for eve: %+v", l)
	}
	// After an answer, a new invitation to the same address may be sent.
	invite(t, s, f.a.ID, "eve@example.com", "viewer", "hash-3", now)
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "hash-3", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrAlreadyMember)
}

// testInvitationStates: revoked, declined and expired invitations refuse.
func testInvitationStates(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	now := time.Now().UTC()
	revoked := invite(t, s, f.a.ID, "r@example.com", "member", "h-r", now)
	r, err := s.RevokeInvitation(ctx, f.a.ID, revoked.ID, now)
	must(t, err)
	if r.RevokedAt == nil || r.Email != "r@example.com" {
		t.Fatalf("revoked = %+v", r)
	}
	_, err = s.RevokeInvitation(ctx, f.a.ID, revoked.ID, now)
	wantErr(t, err, store.ErrNotFound)
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "h-r", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrInvitationRevoked)

	invite(t, s, f.a.ID, "d@example.com", "member", "h-d", now)
	d, err := s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "h-d", UserID: f.outsider, At: now})
	must(t, err)
	if d.DeclinedAt == nil {
		t.Fatalf("declined = %+v", d)
	}
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "h-d", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrInvitationUsed)

	invite(t, s, f.a.ID, "x@example.com", "member", "h-x", now.Add(-8*24*time.Hour))
	_, err = s.AnswerInvitation(ctx, store.InvitationAnswer{TokenHash: "h-x", UserID: f.outsider, Accept: true, At: now})
	wantErr(t, err, store.ErrInvitationExpired)
	if l, _ := s.ListInvitationsForEmail(ctx, "x@example.com", now); len(l) != 0 {
		t.Fatalf("an expired invitation is listed for its invitee: %+v", l)
	}
	if _, err := s.GetMember(ctx, f.a.ID, f.outsider); err == nil {
		t.Fatal("a refused answer made a member")
	}
	_, err = s.UpsertInvitation(ctx, store.Invitation{TenantID: "no-such-tenant", Email: "a@example.com", Role: "member",
		CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, "h-none")
	wantErr(t, err, store.ErrNotFound)
}

// testInvitationIsolation: tenant B neither lists nor revokes A's invitations.
func testInvitationIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	now := time.Now().UTC()
	a := invite(t, s, f.a.ID, "eve@example.com", "member", "h-a", now)
	invite(t, s, f.b.ID, "eve@example.com", "viewer", "h-b", now)
	for _, tenant := range []string{f.b.ID, ""} {
		l, err := s.ListInvitations(ctx, tenant)
		if err != nil && tenant != "" {
			t.Fatal(err)
		}
		for _, i := range l {
			if i.TenantID != f.b.ID {
				t.Fatalf("tenant %q lists %s's invitation", tenant, i.TenantID)
			}
		}
		_, err = s.RevokeInvitation(ctx, tenant, a.ID, now)
		wantErr(t, err, store.ErrNotFound)
	}
	if l, _ := s.ListInvitations(ctx, f.a.ID); len(l) != 1 || l[0].RevokedAt != nil {
		t.Fatalf("A's invitation after B's attempts = %+v", l)
	}
	if l, _ := s.ListInvitationsForEmail(ctx, "", now); len(l) != 0 {
		t.Fatalf("an empty address sees %+v", l)
	}
}

// testAccountEvents: each user reads only their own history.
func testAccountEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	base := time.Now().UTC()
	for i, action := range []string{"auth.signin_failed", "auth.signin"} {
		must(t, s.AppendAccountEvent(ctx, store.AccountEvent{UserID: f.ownerA, Action: action, IP: "192.0.2.1",
			UserAgent: "test", At: base.Add(time.Duration(i) * time.Second)}))
	}
	must(t, s.AppendAccountEvent(ctx, store.AccountEvent{UserID: f.ownerB, Action: "auth.signin", At: base}))
	mine, err := s.ListAccountEvents(ctx, f.ownerA, 10)
	must(t, err)
	if len(mine) != 2 || mine[0].Action != "auth.signin" || mine[1].IP != "192.0.2.1" || mine[0].UserID != f.ownerA {
		t.Fatalf("alice's history = %+v", mine)
	}
	if l, _ := s.ListAccountEvents(ctx, f.ownerA, 1); len(l) != 1 {
		t.Fatalf("limit 1 gave %d", len(l))
	}
	for _, who := range []string{f.outsider, ""} {
		if l, _ := s.ListAccountEvents(ctx, who, 10); len(l) != 0 {
			t.Fatalf("user %q sees %+v", who, l)
		}
	}
	must(t, s.DeleteUser(ctx, f.member))
	must(t, s.AppendAccountEvent(ctx, store.AccountEvent{UserID: f.member, Action: "auth.signin"}))
	must(t, s.DeleteUser(ctx, f.member))
	if l, _ := s.ListAccountEvents(ctx, f.member, 10); len(l) != 0 {
		t.Fatalf("a deleted user's history stays: %+v", l)
	}
}

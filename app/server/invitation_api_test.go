package server_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

// verify marks user's email verified, as following the verification mail does.
func (e *env) verify(user string) {
	e.t.Helper()
	rec := e.users[user]
	rec.SetVerified(true)
	if err := e.app.Save(rec); err != nil {
		e.t.Fatal(err)
	}
}

// addUser signs up one more person (unverified, as embedded sign-up leaves them).
func (e *env) addUser(name, email string) {
	e.t.Helper()
	col, err := e.app.FindCollectionByNameOrId("users")
	if err != nil {
		e.t.Fatal(err)
	}
	rec := core.NewRecord(col)
	rec.SetEmail(email)
	rec.SetPassword("password-" + name)
	if err := e.app.Save(rec); err != nil {
		e.t.Fatal(err)
	}
	tok, err := rec.NewAuthToken()
	if err != nil {
		e.t.Fatal(err)
	}
	e.users[name], e.tokens[name] = rec, tok
}

func (e *env) auditActions(slug string) []string {
	e.t.Helper()
	owner := map[string]string{"acme": "alice", "bravo": "eve"}[slug]
	var out []string
	for _, it := range items(e.must(e.call(owner, "GET", "/api/nyx/tenants/"+slug+"/audit", nil), 200)) {
		out = append(out, it["action"].(string))
	}
	return out
}

// TestInviteDoesNotRevealAccounts: an admin learns nothing about whether an
// address has an account. Before invitations, frank's address answered 201
// (and added him) and a stranger's 404 user_not_found.
func TestInviteDoesNotRevealAccounts(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			known := e.call("bob", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "frank@example.com", "role": "member"})
			unknown := e.call("bob", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "nobody@example.com", "role": "member"})
			if known.status != unknown.status || known.status != 202 {
				t.Fatalf("status for an account %d, for no account %d; want both 202", known.status, unknown.status)
			}
			if k, u := slices.Sorted(maps.Keys(known.json)), slices.Sorted(maps.Keys(unknown.json)); !slices.Equal(k, u) {
				t.Fatalf("fields differ: %v vs %v", k, u)
			}
			for k := range known.json {
				if k != "email" && k != "id" && k != "token" && k != "accept_url" && k != "expires_at" && known.json[k] != unknown.json[k] {
					t.Errorf("%s differs: %v vs %v", k, known.json[k], unknown.json[k])
				}
			}
			if roleOf(e, "frank") != "" {
				t.Fatal("inviting frank made him a member without his consent")
			}
			invs := items(e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/invitations", nil), 200))
			if len(invs) != 2 {
				t.Fatalf("pending invitations = %v", invs)
			}
			for _, inv := range invs {
				if _, leaked := inv["token"]; leaked {
					t.Fatalf("the invitation list shows the secret: %v", inv)
				}
			}
		})
	}
}

// TestInvitationLifecycle: accept by verified address, decline, refresh,
// revoke, expiry and reuse, each audited in the inviting tenant.
func TestInvitationLifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			e.verify("frank")
			inv := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "frank@example.com", "role": "admin"}), 202)
			e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/members", map[string]any{"email": "frank@example.com", "role": "viewer"}), 202)
			mine := items(e.must(e.call("frank", "GET", "/api/nyx/invitations", nil), 200))
			if len(mine) != 2 {
				t.Fatalf("frank's invitations = %v", mine)
			}
			byTenant := map[string]string{}
			for _, m := range mine {
				byTenant[m["tenant"].(map[string]any)["slug"].(string)] = m["id"].(string)
			}
			if byTenant["acme"] != inv.json["id"] {
				t.Fatalf("frank's acme invitation = %v, want %v", byTenant, inv.json["id"])
			}
			acc := e.must(e.call("frank", "POST", "/api/nyx/invitations/"+byTenant["acme"]+"/accept", nil), 200)
			if acc.json["role"] != "admin" || acc.json["tenant"].(map[string]any)["slug"] != "acme" {
				t.Fatalf("accept = %s", acc.raw)
			}
			if roleOf(e, "frank") != "admin" {
				t.Fatal("accepting did not make frank an admin")
			}
			again := e.call("frank", "POST", "/api/nyx/invitations/"+byTenant["acme"]+"/accept", nil)
			if again.status != 409 || again.json["code"] != "invitation_used" {
				t.Fatalf("second accept = %d %s", again.status, again.raw)
			}
			if r := e.call("frank", "POST", "/api/nyx/invitations/accept", map[string]any{"token": inv.json["token"]}); r.json["code"] != "invitation_used" {
				t.Fatalf("reusing the link = %d %s", r.status, r.raw)
			}
			e.must(e.call("frank", "POST", "/api/nyx/invitations/"+byTenant["bravo"]+"/decline", nil), 200)
			if ms, _ := e.store.ListMemberships(context.Background(), e.users["frank"].Id); len(ms) != 1 {
				t.Fatalf("frank's memberships after declining bravo = %v", ms)
			}
			if a := e.auditActions("acme"); a[0] != "invitation.accept" || a[1] != "invitation.create" {
				t.Fatalf("acme audit = %v", a)
			}
			if a := e.auditActions("bravo"); a[0] != "invitation.decline" {
				t.Fatalf("bravo audit = %v", a)
			}

			// Refresh: inviting again kills the old link and keeps one invitation.
			old := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "ghost@example.com", "role": "member"}), 202)
			fresh := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "ghost@example.com", "role": "viewer"}), 202)
			if old.json["id"] != fresh.json["id"] || old.json["token"] == fresh.json["token"] {
				t.Fatalf("re-invite: %s then %s", old.raw, fresh.raw)
			}
			if r := e.call("carol", "POST", "/api/nyx/invitations/accept", map[string]any{"token": old.json["token"]}); r.status != 404 || r.json["code"] != "invitation_not_found" {
				t.Fatalf("the replaced link = %d %s", r.status, r.raw)
			}
			// Revoke: the link stops working; a second revoke finds nothing.
			e.must(e.call("bob", "DELETE", "/api/nyx/tenants/acme/invitations/"+fresh.json["id"].(string), nil), 204)
			e.addUser("ghost", "ghost@example.com")
			if r := e.call("ghost", "POST", "/api/nyx/invitations/accept", map[string]any{"token": fresh.json["token"]}); r.status != 410 || r.json["code"] != "invitation_revoked" {
				t.Fatalf("accepting a revoked invitation = %d %s", r.status, r.raw)
			}
			if r := e.call("bob", "DELETE", "/api/nyx/tenants/acme/invitations/"+fresh.json["id"].(string), nil); r.status != 404 || r.json["code"] != "invitation_not_found" {
				t.Fatalf("revoking twice = %d %s", r.status, r.raw)
			}
			if a := e.auditActions("acme"); a[0] != "invitation.revoke" {
				t.Fatalf("acme audit = %v", a)
			}
			// Expiry.
			token := expiredInvitation(t, e, "ghost@example.com")
			if r := e.call("ghost", "POST", "/api/nyx/invitations/accept", map[string]any{"token": token}); r.status != 410 || r.json["code"] != "invitation_expired" {
				t.Fatalf("accepting an expired invitation = %d %s", r.status, r.raw)
			}
			if roleOf(e, "ghost") != "" {
				t.Fatal("ghost joined through a refused invitation")
			}
			for _, bad := range []any{"", "short", strings.Repeat("!", 43), 12} {
				r := e.call("ghost", "POST", "/api/nyx/invitations/accept", map[string]any{"token": bad})
				if r.status != 400 {
					t.Errorf("token %v: %d %s", bad, r.status, r.raw)
				}
			}
		})
	}
}

// expiredInvitation stores an invitation of acme that expired yesterday
// and returns its secret.
func expiredInvitation(t *testing.T, e *env, email string) string {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	past := time.Now().Add(-8 * 24 * time.Hour)
	if _, err := e.store.UpsertInvitation(context.Background(), store.Invitation{TenantID: e.tenants["acme"], Email: email, Role: "member",
		InvitedBy: e.users["alice"].Id, CreatedAt: past, ExpiresAt: past.Add(7 * 24 * time.Hour)}, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	return token
}

// TestUnverifiedAddressCannotTakeAnInvitation: mallory signs up with the
// invited address (sign-up does not verify it). She neither sees who
// invited that address nor accepts by it; once the real owner verifies,
// they can.
func TestUnverifiedAddressCannotTakeAnInvitation(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			inv := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "victim@example.org", "role": "admin"}), 202)
			e.addUser("mallory", "victim@example.org")
			mine := e.must(e.call("mallory", "GET", "/api/nyx/invitations", nil), 200)
			if len(items(mine)) != 0 || mine.json["email_verified"] != false || strings.Contains(mine.raw, "acme") {
				t.Fatalf("an unverified account sees %s", mine.raw)
			}
			before := e.snapshot()
			for _, act := range []string{"accept", "decline"} {
				r := e.call("mallory", "POST", "/api/nyx/invitations/"+inv.json["id"].(string)+"/"+act, nil)
				if r.status != 403 || r.json["code"] != "email_not_verified" {
					t.Fatalf("%s by an unverified address = %d %s", act, r.status, r.raw)
				}
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused answer changed state:\nbefore %s\nafter  %s", before, after)
			}
			// A verified account with another address cannot take it by id either.
			e.verify("frank")
			if r := e.call("frank", "POST", "/api/nyx/invitations/"+inv.json["id"].(string)+"/accept", nil); r.status != 404 || r.json["code"] != "invitation_not_found" {
				t.Fatalf("accept of someone else's invitation = %d %s", r.status, r.raw)
			}
			e.verify("mallory") // now she does control the address
			e.must(e.call("mallory", "POST", "/api/nyx/invitations/"+inv.json["id"].(string)+"/accept", nil), 200)
			if roleOf(e, "mallory") != "admin" {
				t.Fatal("the verified owner of the address could not join")
			}
		})
	}
}

// TestOtherTenantsCannotSeeOrRevokeInvitations: eve owns bravo; carol is a
// plain member of acme.
func TestOtherTenantsCannotSeeOrRevokeInvitations(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			inv := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/members", map[string]any{"email": "ghost@example.com", "role": "member"}), 202)
			id := inv.json["id"].(string)
			for _, c := range []struct {
				who, method, path string
				status            int
				code              string
			}{
				{"eve", "GET", "/api/nyx/tenants/acme/invitations", 404, "tenant_not_found"},
				{"eve", "DELETE", "/api/nyx/tenants/acme/invitations/" + id, 404, "tenant_not_found"},
				{"eve", "DELETE", "/api/nyx/tenants/bravo/invitations/" + id, 404, "invitation_not_found"},
				{"carol", "GET", "/api/nyx/tenants/acme/invitations", 403, "forbidden"},
				{"carol", "DELETE", "/api/nyx/tenants/acme/invitations/" + id, 403, "forbidden"},
			} {
				r := e.call(c.who, c.method, c.path, nil)
				if r.status != c.status || r.json["code"] != c.code {
					t.Errorf("%s %s %s = %d %s, want %d %s", c.who, c.method, c.path, r.status, r.raw, c.status, c.code)
				}
			}
			if br := items(e.must(e.call("eve", "GET", "/api/nyx/tenants/bravo/invitations", nil), 200)); len(br) != 0 {
				t.Fatalf("bravo lists %v", br)
			}
			if l := items(e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/invitations", nil), 200)); len(l) != 1 || l[0]["id"] != id {
				t.Fatalf("acme's invitation after the attempts = %v", l)
			}
		})
	}
}

// TestSignInsStayOutOfTenantAuditLogs: carol's sign-ins (good and bad
// password) used to be written into acme's audit log, where alice and bob
// read her IPs and user agents. Now they are in carol's own history only.
func TestSignInsStayOutOfTenantAuditLogs(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			for _, pw := range []string{"password-carol", "wrong-password"} {
				r := e.call("", "POST", "/api/collections/users/auth-with-password", map[string]any{"identity": "carol@example.com", "password": pw},
					"User-Agent", "carol-browser/1.0", "Content-Type", "application/json")
				if r.status != map[bool]int{true: 200, false: 400}[pw == "password-carol"] {
					t.Fatalf("sign-in with %q: %d %s", pw, r.status, r.raw)
				}
			}
			for _, a := range e.auditActions("acme") {
				if strings.HasPrefix(a, "auth.") {
					t.Fatalf("acme's audit log holds carol's %s", a)
				}
			}
			if r := e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/audit?format=csv", nil), 200); strings.Contains(r.raw, "carol-browser") {
				t.Fatal("acme's audit export shows carol's user agent")
			}
			mine := items(e.must(e.call("carol", "GET", "/api/nyx/me/activity", nil), 200))
			if len(mine) != 2 || mine[0]["action"] != "auth.signin_failed" || mine[1]["action"] != "auth.signin" ||
				mine[0]["user_agent"] != "carol-browser/1.0" || mine[0]["ip"] == "" {
				t.Fatalf("carol's activity = %v", mine)
			}
			if other := items(e.must(e.call("alice", "GET", "/api/nyx/me/activity", nil), 200)); len(other) != 0 {
				t.Fatalf("alice's activity shows %v", other)
			}
			if r := e.call("carol", "GET", "/api/nyx/me/activity?limit=0", nil); r.status != 400 || r.json["code"] != "invalid_limit" {
				t.Fatalf("limit=0: %d %s", r.status, r.raw)
			}
			if r := e.call("", "GET", "/api/nyx/me/activity", nil); r.status != 401 {
				t.Fatalf("anonymous activity: %d", r.status)
			}
		})
	}
}

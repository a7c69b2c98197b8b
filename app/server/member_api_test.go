package server_test

import (
	"testing"
)

func TestMemberAPI(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "viewer lists members", as: "dan", method: "GET", path: "/api/nyx/tenants/acme/members", status: 200, check: func(e *env, r response) {
			its := items(r)
			if len(its) != 4 || its[0]["email"] != "alice@example.com" || its[0]["role"] != "owner" {
				t.Fatalf("members = %s", r.raw)
			}
		}},
		{name: "admin invites a member: nothing changes until they accept", as: "bob", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "FRANK@example.com", "role": "member"}, status: 202,
			want: map[string]any{"invited": true, "email": "frank@example.com", "role": "member"},
			check: func(e *env, r response) {
				if roleOf(e, "frank") != "" {
					t.Fatal("an invitation made frank a member")
				}
				me := e.call("frank", "GET", "/api/nyx/me", nil)
				if ms := me.json["memberships"].([]any); len(ms) != 0 {
					t.Fatalf("frank sees %s before accepting", me.raw)
				}
			}},
		{name: "owner invites an owner", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "owner"}, status: 202, want: map[string]any{"role": "owner"}},
		{name: "admin cannot add an owner", as: "bob", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "owner"}, status: 403, code: "cannot_grant_owner"},
		{name: "member cannot add", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "viewer"}, status: 403, code: "forbidden"},
		{name: "outsider cannot add", as: "eve", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "viewer"}, status: 404, code: "tenant_not_found"},
		{name: "unknown email is invited like any other", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "ghost@example.com", "role": "member"}, status: 202, want: map[string]any{"invited": true, "email": "ghost@example.com"}},
		{name: "already a member", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "Carol@Example.com", "role": "admin"}, status: 409, code: "already_member"},
		{name: "role outside the list", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "superadmin"}, status: 400, code: "invalid_role"},
		{name: "role in the wrong case", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank@example.com", "role": "Admin"}, status: 400, code: "invalid_role"},
		{name: "not an email", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/members",
			body: map[string]any{"email": "frank", "role": "member"}, status: 400, code: "invalid_email"},

		{name: "admin promotes a member", as: "bob", method: "PATCH", path: "/api/nyx/tenants/acme/members/@carol",
			body: map[string]any{"role": "admin"}, status: 200, want: map[string]any{"role": "admin"},
			check: func(e *env, r response) {
				if got := roleOf(e, "carol"); got != "admin" {
					t.Fatalf("carol is %q", got)
				}
			}},
		{name: "owner makes another owner then steps down", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/members/@bob",
			body: map[string]any{"role": "owner"}, status: 200, check: func(e *env, r response) {
				e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/members/"+e.users["alice"].Id, map[string]any{"role": "member"}), 200)
				if roleOf(e, "alice") != "member" || roleOf(e, "bob") != "owner" {
					t.Fatal("ownership did not move")
				}
			}},
		{name: "last owner cannot step down", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/members/@alice",
			body: map[string]any{"role": "admin"}, status: 409, code: "last_owner"},
		{name: "admin cannot demote an owner", as: "bob", method: "PATCH", path: "/api/nyx/tenants/acme/members/@alice",
			body: map[string]any{"role": "viewer"}, status: 403, code: "forbidden"},
		{name: "admin cannot promote to owner", as: "bob", method: "PATCH", path: "/api/nyx/tenants/acme/members/@carol",
			body: map[string]any{"role": "owner"}, status: 403, code: "cannot_grant_owner"},
		{name: "member cannot change roles", as: "carol", method: "PATCH", path: "/api/nyx/tenants/acme/members/@dan",
			body: map[string]any{"role": "admin"}, status: 403, code: "forbidden"},
		{name: "user of another tenant", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/members/@eve",
			body: map[string]any{"role": "viewer"}, status: 404, code: "member_not_found"},
		{name: "invalid role on update", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/members/@dan",
			body: map[string]any{"role": ""}, status: 400, code: "invalid_role"},
		{name: "unknown field on update", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/members/@dan",
			body: map[string]any{"role": "member", "admin": true}, status: 400, code: "unknown_field"},

		{name: "owner removes a member", as: "alice", method: "DELETE", path: "/api/nyx/tenants/acme/members/@carol", status: 204,
			check: func(e *env, r response) {
				if g := e.call("carol", "GET", "/api/nyx/tenants/acme", nil); g.status != 404 {
					t.Fatalf("removed member still sees the tenant: %d", g.status)
				}
			}},
		{name: "viewer leaves", as: "dan", method: "DELETE", path: "/api/nyx/tenants/acme/members/@dan", status: 204,
			check: func(e *env, r response) {
				if roleOf(e, "dan") != "" {
					t.Fatal("dan still listed")
				}
			}},
		{name: "viewer cannot remove others", as: "dan", method: "DELETE", path: "/api/nyx/tenants/acme/members/@carol", status: 403, code: "forbidden"},
		{name: "admin cannot remove an owner", as: "bob", method: "DELETE", path: "/api/nyx/tenants/acme/members/@alice", status: 403, code: "forbidden"},
		{name: "last owner cannot leave", as: "alice", method: "DELETE", path: "/api/nyx/tenants/acme/members/@alice", status: 409, code: "last_owner"},
		{name: "outsider cannot remove", as: "eve", method: "DELETE", path: "/api/nyx/tenants/acme/members/@carol", status: 404, code: "tenant_not_found"},
		{name: "remove someone of another tenant", as: "alice", method: "DELETE", path: "/api/nyx/tenants/acme/members/@eve", status: 404, code: "member_not_found"},
	})
}

package server_test

import (
	"strings"
	"testing"
)

func TestTenantAPI(t *testing.T) {
	big := `{"slug":"zeta","name":"` + strings.Repeat("x", 5000) + `"}`
	runScenarios(t, []scenario{
		{name: "create makes the caller owner", as: "frank", method: "POST", path: "/api/nyx/tenants",
			body: map[string]any{"slug": "zeta-labs", "name": "  Zeta Labs "}, status: 201,
			want: map[string]any{"slug": "zeta-labs", "name": "Zeta Labs", "role": "owner", "custom_domain": nil},
			check: func(e *env, r response) {
				me := e.call("frank", "GET", "/api/nyx/me", nil)
				ms := me.json["memberships"].([]any)
				if len(ms) != 1 || ms[0].(map[string]any)["role"] != "owner" || ms[0].(map[string]any)["tenant_id"] != r.json["id"] {
					t.Fatalf("frank's memberships after create = %s", me.raw)
				}
			}},
		{name: "slug with uppercase", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "Zeta", "name": "Z"}, status: 400, code: "invalid_slug"},
		{name: "slug too short", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "ab", "name": "Z"}, status: 400, code: "invalid_slug"},
		{name: "slug too long", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": strings.Repeat("a", 41), "name": "Z"}, status: 400, code: "invalid_slug"},
		{name: "slug with underscore", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "_zeta", "name": "Z"}, status: 400, code: "invalid_slug"},
		{name: "reserved slug", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "admin", "name": "Z"}, status: 400, code: "reserved_slug"},
		{name: "duplicate slug", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "acme", "name": "Z"}, status: 409, code: "slug_taken"},
		{name: "missing name", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "zeta"}, status: 400, code: "invalid_field"},
		{name: "malformed json", as: "frank", method: "POST", path: "/api/nyx/tenants", body: `{"slug":"zeta",`, status: 400, code: "bad_json"},
		{name: "empty body", as: "frank", method: "POST", path: "/api/nyx/tenants", body: ``, status: 400, code: "bad_json"},
		{name: "array body", as: "frank", method: "POST", path: "/api/nyx/tenants", body: `[1,2]`, status: 400, code: "bad_json"},
		{name: "two objects", as: "frank", method: "POST", path: "/api/nyx/tenants", body: `{"slug":"zeta","name":"Z"}{}`, status: 400, code: "bad_json"},
		{name: "unknown field", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "zeta", "name": "Z", "plan": "pro"}, status: 400, code: "unknown_field"},
		{name: "wrong type", as: "frank", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": 42, "name": "Z"}, status: 400, code: "invalid_field"},
		{name: "oversized body", as: "frank", method: "POST", path: "/api/nyx/tenants", body: big, status: 413, code: "body_too_large"},

		{name: "list mine", as: "eve", method: "GET", path: "/api/nyx/tenants", status: 200, check: func(e *env, r response) {
			its := items(r)
			if len(its) != 1 || its[0]["slug"] != "bravo" || its[0]["role"] != "owner" {
				t.Fatalf("eve's tenants = %s", r.raw)
			}
		}},
		{name: "get by slug", as: "dan", method: "GET", path: "/api/nyx/tenants/acme", status: 200, want: map[string]any{"slug": "acme", "role": "viewer"}},
		{name: "get by id", as: "carol", method: "GET", path: "/api/nyx/tenants/{acme}", status: 200, want: map[string]any{"slug": "acme", "role": "member"}},
		{name: "non-member gets 404", as: "eve", method: "GET", path: "/api/nyx/tenants/acme", status: 404, code: "tenant_not_found"},
		{name: "non-member by id gets 404", as: "frank", method: "GET", path: "/api/nyx/tenants/{acme}", status: 404, code: "tenant_not_found"},
		{name: "unknown tenant gets the same 404", as: "frank", method: "GET", path: "/api/nyx/tenants/nowhere", status: 404, code: "tenant_not_found"},
		{name: "non-member cannot see members", as: "eve", method: "GET", path: "/api/nyx/tenants/acme/members", status: 404, code: "tenant_not_found"},
		{name: "tenant subdomain", as: "alice", method: "GET", path: "/api/nyx/tenants/acme", headers: []string{"Host", "acme.nyx.test"}, status: 200, want: map[string]any{"slug": "acme"}},
		{name: "subdomain and path disagree", as: "alice", method: "GET", path: "/api/nyx/tenants/acme", headers: []string{"Host", "bravo.nyx.test"}, status: 404, code: "tenant_not_found"},
		{name: "unknown subdomain", as: "alice", method: "GET", path: "/api/nyx/tenants/acme", headers: []string{"Host", "nope.nyx.test"}, status: 404, code: "tenant_not_found"},
		{name: "header disagrees with path", as: "alice", method: "GET", path: "/api/nyx/tenants/acme", headers: []string{"X-Nyx-Tenant", "bravo"}, status: 404, code: "tenant_not_found"},

		{name: "admin renames", as: "bob", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"name": "Acme Corp"}, status: 200,
			want: map[string]any{"name": "Acme Corp", "slug": "acme"}},
		{name: "admin sets a custom domain", as: "bob", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"custom_domain": "Chat.ACME.example."}, status: 200,
			want: map[string]any{"custom_domain": "chat.acme.example", "custom_domain_verified": false}},
		{name: "null clears the custom domain", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: `{"custom_domain":null}`, status: 200,
			want: map[string]any{"custom_domain": nil}},
		{name: "member cannot change the tenant", as: "carol", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"name": "Mine"}, status: 403, code: "forbidden"},
		{name: "non-member cannot change the tenant", as: "eve", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"name": "Mine"}, status: 404, code: "tenant_not_found"},
		{name: "invalid domain", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"custom_domain": "https://x.example/path"}, status: 400, code: "invalid_domain"},
		{name: "domain of the server itself", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"custom_domain": "evil.nyx.test"}, status: 400, code: "invalid_domain"},
		{name: "rename to a taken slug", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"slug": "bravo"}, status: 409, code: "slug_taken"},
		{name: "rename to a reserved slug", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"slug": "www"}, status: 400, code: "reserved_slug"},
		{name: "one bad field refuses the whole patch", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"name": "New", "slug": "NO"}, status: 400, code: "invalid_slug"},
		{name: "empty name", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: map[string]any{"name": "  "}, status: 400, code: "invalid_field"},

		{name: "admin cannot delete", as: "bob", method: "DELETE", path: "/api/nyx/tenants/acme", status: 403, code: "forbidden"},
		{name: "non-member cannot delete", as: "eve", method: "DELETE", path: "/api/nyx/tenants/acme", status: 404, code: "tenant_not_found"},
		{name: "owner deletes", as: "alice", method: "DELETE", path: "/api/nyx/tenants/acme", status: 204, check: func(e *env, r response) {
			if g := e.call("alice", "GET", "/api/nyx/tenants/acme", nil); g.status != 404 {
				t.Fatalf("deleted tenant still answers %d", g.status)
			}
			if ms := e.call("bob", "GET", "/api/nyx/me", nil).json["memberships"].([]any); len(ms) != 0 {
				t.Fatalf("bob still a member of a deleted tenant: %v", ms)
			}
			if g := e.call("eve", "GET", "/api/nyx/tenants/bravo", nil); g.status != 200 {
				t.Fatalf("deleting acme broke bravo: %d", g.status)
			}
		}},
	})
}

func TestDomainConflict(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"custom_domain": "chat.example.org"}), 200)
			before := e.snapshot()
			r := e.call("eve", "PATCH", "/api/nyx/tenants/bravo", map[string]any{"custom_domain": "CHAT.example.org"})
			if r.status != 409 || r.json["code"] != "domain_taken" {
				t.Fatalf("taken domain: %d %s", r.status, r.raw)
			}
			if e.snapshot() != before {
				t.Fatal("refused domain change altered state")
			}
		})
	}
}

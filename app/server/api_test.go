package server_test

import (
	"strings"
	"testing"
)

// scenario is one API request and what a client must see. Every scenario
// answering 4xx must also leave the data plane untouched.
type scenario struct {
	name    string
	as      string
	method  string
	path    string
	body    any
	headers []string
	status  int
	code    string               // error code for 4xx
	want    map[string]any       // top-level fields of a 2xx body
	check   func(*env, response) // further assertions
}

func runScenarios(t *testing.T, scenarios []scenario) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					e := newEnv(t, b.open)
					before := e.snapshot()
					r := e.call(sc.as, sc.method, e.expand(sc.path), sc.body, sc.headers...)
					if r.status != sc.status {
						t.Fatalf("status = %d, want %d; body %s", r.status, sc.status, r.raw)
					}
					if sc.code != "" {
						if r.json["code"] != sc.code || r.json["message"] == "" {
							t.Fatalf("error = %s, want code %q with a message", r.raw, sc.code)
						}
					}
					for k, v := range sc.want {
						if r.json[k] != v {
							t.Errorf("%s = %v, want %v (body %s)", k, r.json[k], v, r.raw)
						}
					}
					if sc.status >= 400 {
						if after := e.snapshot(); after != before {
							t.Fatalf("a refused request changed state:\nbefore %s\nafter  %s", before, after)
						}
					}
					if sc.check != nil {
						sc.check(e, r)
					}
				})
			}
		})
	}
}

func items(r response) []map[string]any {
	raw, _ := r.json["items"].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, it := range raw {
		out = append(out, it.(map[string]any))
	}
	return out
}

// roleOf reads user's role in acme straight from the API.
func roleOf(e *env, user string) string {
	r := e.call("alice", "GET", "/api/nyx/tenants/acme/members", nil)
	for _, m := range items(r) {
		if m["user_id"] == e.users[user].Id {
			return m["role"].(string)
		}
	}
	return ""
}

func TestHealthAndRouting(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "health", method: "GET", path: "/api/nyx/health", status: 200,
			want: map[string]any{"ok": true, "mode": "embedded", "redis": "embedded"},
			check: func(e *env, r response) {
				if r.json["store"] != e.store.Driver() {
					t.Errorf("store = %v, want %s", r.json["store"], e.store.Driver())
				}
			}},
		{name: "unknown nyx path is JSON 404", as: "alice", method: "GET", path: "/api/nyx/nope", status: 404, code: "not_found"},
		{name: "unknown api path is JSON 404 not the web app", method: "POST", path: "/api/definitely/not/here", status: 404, code: "not_found"},
		{name: "web app at root", method: "GET", path: "/", status: 200, check: func(e *env, r response) {
			if !strings.Contains(r.raw, "<title>nyxCore</title>") || r.header.Get("Cache-Control") != "no-cache" {
				t.Errorf("root = %q cache %q", r.raw[:min(len(r.raw), 80)], r.header.Get("Cache-Control"))
			}
		}},
		{name: "deep link falls back to the web app", method: "GET", path: "/t/acme/settings", status: 200, check: func(e *env, r response) {
			if !strings.Contains(r.raw, "<title>nyxCore</title>") {
				t.Error("deep link did not get index.html")
			}
		}},
	})
}

func TestAuthentication(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "no token", method: "GET", path: "/api/nyx/me", status: 401, code: "auth_required"},
		{name: "forged token", as: "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IngifQ.bad", method: "GET", path: "/api/nyx/me", status: 401, code: "auth_required"},
		{name: "no token cannot create", method: "POST", path: "/api/nyx/tenants", body: map[string]any{"slug": "zeta", "name": "Z"}, status: 401, code: "auth_required"},
		{name: "me", as: "bob", method: "GET", path: "/api/nyx/me", status: 200, check: func(e *env, r response) {
			user := r.json["user"].(map[string]any)
			ms := r.json["memberships"].([]any)
			if user["email"] != "bob@example.com" || len(ms) != 1 {
				t.Fatalf("me = %s", r.raw)
			}
			m := ms[0].(map[string]any)
			if m["slug"] != "acme" || m["role"] != "admin" || m["tenant_id"] != e.tenants["acme"] || m["name"] != "Acme" {
				t.Fatalf("membership = %v", m)
			}
		}},
		{name: "me without tenants", as: "frank", method: "GET", path: "/api/nyx/me", status: 200, check: func(e *env, r response) {
			if ms := r.json["memberships"].([]any); len(ms) != 0 {
				t.Fatalf("frank's memberships = %v", ms)
			}
		}},
	})
}

func TestExpiredToken(t *testing.T) {
	e := newEnv(t, backends[0].open)
	tok := expiredToken(t, e.users["alice"])
	r := e.call(tok, "GET", "/api/nyx/me", nil)
	if r.status != 401 || r.json["code"] != "auth_required" {
		t.Fatalf("expired token: %d %s", r.status, r.raw)
	}
}

// expand replaces {acme} with acme's id and @name with that user's id.
func (e *env) expand(path string) string {
	path = strings.ReplaceAll(path, "{acme}", e.tenants["acme"])
	for _, name := range cast {
		path = strings.ReplaceAll(path, "@"+name, e.users[name].Id)
	}
	return path
}

package server_test

import "testing"

// TestStrictJSONBodies sends bodies that encoding/json would quietly
// accept (duplicate keys where the last wins, keys in another case, a
// null body) to real routes: each is a 400 naming the key, and nothing
// changes.
func TestStrictJSONBodies(t *testing.T) {
	field := func(want string) func(*env, response) {
		return func(e *env, r response) {
			if data, _ := r.json["data"].(map[string]any); data["field"] != want {
				e.t.Fatalf("data.field = %v, want %q: %s", data["field"], want, r.raw)
			}
		}
	}
	noPersonas := func(e *env, r response) {
		if got := items(e.call("carol", "GET", "/api/nyx/tenants/acme/personas", nil)); len(got) != 0 {
			e.t.Fatalf("a refused body created personas: %v", got)
		}
	}
	runScenarios(t, []scenario{
		{name: "duplicate key", as: "frank", method: "POST", path: "/api/nyx/tenants",
			body: `{"slug":"zeta","name":"Z","slug":"admin-panel"}`, status: 400, code: "bad_json", check: field("slug")},
		{name: "duplicate key with the same value", as: "frank", method: "POST", path: "/api/nyx/tenants",
			body: `{"slug":"zeta","name":"Z","name":"Z"}`, status: 400, code: "bad_json", check: field("name")},
		{name: "key in another case", as: "frank", method: "POST", path: "/api/nyx/tenants",
			body: `{"Slug":"zeta","name":"Z"}`, status: 400, code: "unknown_field", check: field("Slug")},
		{name: "null body", as: "frank", method: "POST", path: "/api/nyx/tenants", body: `null`, status: 400, code: "bad_json"},
		{name: "null body on a patch", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme", body: " null\n", status: 400, code: "bad_json"},
		{name: "duplicate key on a patch", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme",
			body: `{"name":"Acme 2","name":"Acme 3"}`, status: 400, code: "bad_json", check: field("name")},
		{name: "upper-case key on a patch", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme",
			body: `{"NAME":"Acme 2"}`, status: 400, code: "unknown_field", check: field("NAME")},
		{name: "nested duplicate key", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: `{"name":"P","provider_id":"local-ollama","model":"m","options":{"seed":1,"seed":2}}`, status: 400, code: "bad_json",
			check: func(e *env, r response) { field("options.seed")(e, r); noPersonas(e, r) }},
		{name: "nested key in another case", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: `{"name":"P","provider_id":"local-ollama","model":"m","options":{"Seed":1}}`, status: 400, code: "invalid_field",
			check: func(e *env, r response) { field("options")(e, r); noPersonas(e, r) }},
		{name: "strict body still accepted", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme",
			body: `{"name":"Acme 2"}`, status: 200, want: map[string]any{"name": "Acme 2"}},
	})
}

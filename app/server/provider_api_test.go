package server_test

import (
	"context"
	"strings"
	"testing"
)

const cloudKey = "sk-test-NYXSECRETVALUE-7xq9"

func TestProviderAPI(t *testing.T) {
	openaiBody := map[string]any{"kind": "openai", "name": "Cloud", "base_url": "https://llm.example.com/v1", "api_key": cloudKey}
	runScenarios(t, []scenario{
		{name: "viewer sees the built-in local Ollama", as: "dan", method: "GET", path: "/api/nyx/tenants/acme/providers", status: 200,
			check: func(e *env, r response) {
				its := items(r)
				if len(its) != 1 || its[0]["id"] != "local-ollama" || its[0]["builtin"] != true || its[0]["kind"] != "ollama" {
					t.Fatalf("providers = %s", r.raw)
				}
			}},
		{name: "admin adds a cloud provider; the key is never shown", as: "bob", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: openaiBody, status: 201,
			want: map[string]any{"kind": "openai", "name": "Cloud", "api_key_set": true, "api_key_last4": "7xq9", "enabled": true},
			check: func(e *env, r response) {
				if strings.Contains(r.raw, "NYXSECRET") {
					t.Fatalf("the key leaked in the response: %s", r.raw)
				}
				l := e.call("dan", "GET", "/api/nyx/tenants/acme/providers", nil)
				if strings.Contains(l.raw, "NYXSECRET") || len(items(l)) != 2 {
					t.Fatalf("list = %s", l.raw)
				}
				stored, err := e.store.GetProvider(context.Background(), e.tenants["acme"], r.json["id"].(string))
				if err != nil || stored.APIKey == "" || strings.Contains(stored.APIKey, "NYXSECRET") || !strings.HasPrefix(stored.APIKey, "v1:") {
					t.Fatalf("stored key = %q, %v", stored.APIKey, err)
				}
			}},
		{name: "member cannot add providers", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/providers", body: openaiBody, status: 403, code: "forbidden"},
		{name: "outsider cannot list providers", as: "eve", method: "GET", path: "/api/nyx/tenants/acme/providers", status: 404, code: "tenant_not_found"},
		{name: "unknown kind", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "skynet", "name": "X"}, status: 400, code: "invalid_kind"},
		{name: "base url that is not http", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "ollama", "name": "Box", "base_url": "file:///etc/passwd"}, status: 400, code: "invalid_base_url"},
		{name: "cloud metadata address is refused", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "openai", "name": "Meta", "base_url": "http://169.254.169.254/latest"}, status: 400, code: "forbidden_url"},
		{name: "private network address is refused by default", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "ollama", "name": "LAN box", "base_url": "http://10.0.0.5:11434"}, status: 400, code: "forbidden_url"},
		{name: "ollama needs a base url", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "ollama", "name": "Box"}, status: 400, code: "invalid_base_url"},
		{name: "anthropic needs a key", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/providers",
			body: map[string]any{"kind": "anthropic", "name": "Claude"}, status: 400, code: "api_key_required"},
		{name: "the built-in provider cannot be changed", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/providers/local-ollama",
			body: map[string]any{"name": "Mine"}, status: 400, code: "builtin_provider"},
		{name: "unknown provider", as: "alice", method: "PATCH", path: "/api/nyx/tenants/acme/providers/nope",
			body: map[string]any{"name": "Mine"}, status: 404, code: "provider_not_found"},
		{name: "member creates a persona", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "Skeptic", "avatar": "🦉", "color": "#6d5dfc", "provider_id": "local-ollama", "model": "llama3.2",
				"system_prompt": "Doubt.", "temperature": 0.4, "options": map[string]any{"top_p": 0.9, "max_tokens": 256}},
			status: 201, want: map[string]any{"name": "Skeptic", "provider_id": "local-ollama", "temperature": 0.4},
			check: func(e *env, r response) {
				g := e.call("dan", "GET", "/api/nyx/tenants/acme/personas/"+r.json["id"].(string), nil)
				opts, _ := g.json["options"].(map[string]any)
				if g.status != 200 || opts["top_p"] != 0.9 || opts["max_tokens"] != 256.0 {
					t.Fatalf("get persona = %s", g.raw)
				}
			}},
		{name: "viewer cannot create personas", as: "dan", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "local-ollama", "model": "m"}, status: 403, code: "forbidden"},
		{name: "persona with an unknown provider", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "nope", "model": "m"}, status: 400, code: "invalid_field"},
		{name: "persona temperature out of range", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "local-ollama", "model": "m", "temperature": 3}, status: 400, code: "invalid_field"},
		{name: "persona with unknown options", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "local-ollama", "model": "m", "options": map[string]any{"rm_rf": true}}, status: 400, code: "invalid_field"},
		{name: "persona colour must be hex", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "local-ollama", "model": "m", "color": "red"}, status: 400, code: "invalid_field"},
		{name: "persona without a model", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/personas",
			body: map[string]any{"name": "X", "provider_id": "local-ollama"}, status: 400, code: "invalid_field"},
		{name: "unknown persona", as: "carol", method: "GET", path: "/api/nyx/tenants/acme/personas/nope", status: 404, code: "persona_not_found"},
	})
}

// TestProviderLifecycle covers what spans several requests: a provider in
// use cannot go, names are unique, keys can be replaced and removed.
func TestProviderLifecycle(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			p := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
				map[string]any{"kind": "openai", "name": "Cloud", "api_key": cloudKey}), 201)
			id := p.json["id"].(string)
			e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": "openai", "name": "cloud"}), 409)
			per := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas",
				map[string]any{"name": "Writer", "provider_id": id, "model": "gpt-x"}), 201)
			r := e.call("alice", "DELETE", "/api/nyx/tenants/acme/providers/"+id, nil)
			if r.status != 409 || r.json["code"] != "provider_in_use" {
				t.Fatalf("deleting a provider in use: %d %s", r.status, r.raw)
			}
			up := e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/providers/"+id, map[string]any{"api_key": "sk-other-key-abcd"}), 200)
			if up.json["api_key_last4"] != "abcd" || up.json["api_key_set"] != true {
				t.Fatalf("replaced key: %s", up.raw)
			}
			up = e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/providers/"+id, map[string]any{"api_key": nil, "enabled": false}), 200)
			if up.json["api_key_set"] != false || up.json["api_key_last4"] != "" || up.json["enabled"] != false {
				t.Fatalf("removed key: %s", up.raw)
			}
			// Another tenant cannot reach it.
			if r := e.call("eve", "PATCH", "/api/nyx/tenants/bravo/providers/"+id, map[string]any{"name": "x"}); r.status != 404 {
				t.Fatalf("bravo patched acme's provider: %d", r.status)
			}
			e.must(e.call("carol", "DELETE", "/api/nyx/tenants/acme/personas/"+per.json["id"].(string), nil), 204)
			e.must(e.call("alice", "DELETE", "/api/nyx/tenants/acme/providers/"+id, nil), 204)
		})
	}
}

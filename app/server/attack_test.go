package server_test

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// tenantRoutes reads every route registered under /tenants/{tenant} from
// server.go, so a route added later is attacked without editing this test.
func tenantRoutes(t *testing.T) [][2]string {
	src, err := os.ReadFile("server.go")
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, m := range regexp.MustCompile(`\bt\.(GET|POST|PATCH|DELETE)\("([^"]*)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, [2]string{m[1], "/api/nyx/tenants/{tenant}" + m[2]})
	}
	if len(out) < 30 {
		t.Fatalf("found only %d tenant routes in server.go", len(out))
	}
	return out
}

// acmeState renders everything of acme the attack could change.
func acmeState(e *env) string {
	ctx := context.Background()
	id := e.tenants["acme"]
	var parts []any
	p, _ := e.store.ListProviders(ctx, id)
	per, _ := e.store.ListPersonas(ctx, id)
	d, _ := e.store.ListDiscussions(ctx, id, "", 100)
	t, _ := e.store.GetTenant(ctx, id)
	members, _ := e.store.ListMembers(ctx, id)
	parts = append(parts, t, members, p, per, d)
	for _, x := range d {
		m, _ := e.store.ListMessages(ctx, id, x.ID, 0, 100)
		parts = append(parts, m)
	}
	b, _ := json.Marshal(parts)
	return string(b)
}

// TestCrossTenantAttack: eve (owner of bravo) tries every tenant-scoped
// route against acme, through acme's path and through her own tenant with
// acme's ids. Every attempt is a 404 and changes nothing.
func TestCrossTenantAttack(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			prov := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": "openai", "name": "Cloud", "api_key": cloudKey}), 201).json["id"].(string)
			per := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/personas", map[string]any{"name": "P", "provider_id": prov, "model": "m"}), 201).json["id"].(string)
			disc := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{per}}), 201).json["id"].(string)
			ids := map[string]string{"providers": prov, "personas": per, "discussions": disc}
			bodies := map[string]any{
				"PATCH /api/nyx/tenants/{tenant}":                          map[string]any{"name": "pwned"},
				"POST /api/nyx/tenants/{tenant}/members":                   map[string]any{"email": "frank@example.com", "role": "admin"},
				"PATCH /api/nyx/tenants/{tenant}/members/{userId}":         map[string]any{"role": "viewer"},
				"POST /api/nyx/tenants/{tenant}/providers":                 map[string]any{"kind": "openai", "name": "X"},
				"PATCH /api/nyx/tenants/{tenant}/providers/{id}":           map[string]any{"name": "pwned"},
				"POST /api/nyx/tenants/{tenant}/models/pull":               map[string]any{"provider": prov, "model": "x"},
				"DELETE /api/nyx/tenants/{tenant}/models":                  map[string]any{"provider": prov, "model": "x"},
				"POST /api/nyx/tenants/{tenant}/personas":                  map[string]any{"name": "X", "provider_id": prov, "model": "m"},
				"PATCH /api/nyx/tenants/{tenant}/personas/{id}":            map[string]any{"name": "pwned"},
				"POST /api/nyx/tenants/{tenant}/personas/{id}/try":         map[string]any{"message": "hi"},
				"POST /api/nyx/tenants/{tenant}/discussions":               map[string]any{"mode": "single", "persona_ids": []string{per}},
				"PATCH /api/nyx/tenants/{tenant}/discussions/{id}":         map[string]any{"title": "pwned"},
				"POST /api/nyx/tenants/{tenant}/discussions/{id}/messages": map[string]any{"content": "hi"},
			}
			before := acmeState(e)
			for _, r := range tenantRoutes(t) {
				method, tmpl := r[0], r[1]
				path := strings.ReplaceAll(tmpl, "{userId}", e.users["carol"].Id)
				for kind, id := range ids {
					path = strings.ReplaceAll(path, "/"+kind+"/{id}", "/"+kind+"/"+id)
				}
				body := bodies[method+" "+tmpl]
				// 1. Straight at acme, by slug and by id: acme does not exist for eve.
				for _, ref := range []string{"acme", e.tenants["acme"]} {
					res := e.call("eve", method, strings.Replace(path, "{tenant}", ref, 1), body)
					if res.status != 404 || res.json["code"] != "tenant_not_found" {
						t.Errorf("%s %s as eve: %d %s", method, tmpl, res.status, res.raw)
					}
				}
				// 2. Through bravo with acme's ids: not found, and nothing of acme's
				// in any answer. (Eve deleting her own tenant proves nothing.)
				if method == "DELETE" && tmpl == "/api/nyx/tenants/{tenant}" || tmpl == "/api/nyx/tenants/{tenant}/events" {
					continue // her own tenant's activity stream would stream forever
				}
				res := e.call("eve", method, strings.Replace(path, "{tenant}", "bravo", 1), body)
				if strings.Contains(tmpl, "{id}") || strings.Contains(tmpl, "{userId}") {
					if res.status != 404 && res.status != 400 {
						t.Errorf("%s %s via bravo with acme's ids: %d %s", method, tmpl, res.status, res.raw)
					}
				}
				for _, secret := range []string{prov, per, disc, e.tenants["acme"], "NYXSECRET"} {
					if strings.Contains(res.raw, secret) && !(method == "POST" && strings.HasSuffix(tmpl, "/models/pull")) {
						t.Errorf("%s %s via bravo leaked %s: %s", method, tmpl, secret, res.raw)
					}
				}
			}
			if after := acmeState(e); after != before {
				t.Fatalf("the attack changed acme:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

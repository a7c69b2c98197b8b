package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/config"
)

// TestOperatorHostModelManagement: tenant admins cannot pull or delete
// models on the operator's shared Ollama, neither through the built-in
// provider nor through a provider of their own at its address; the screens
// are told the list is read-only; a superuser manages it; a host the
// tenant added is the tenant's to manage; the operator can delegate.
func TestOperatorHostModelManagement(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			op, own := startFakeOllama(t), startFakeOllama(t)
			e := configEnv(t, b.open, config.ModeEmbedded, func(c *config.Config) {
				c.Ollama.Host = op.URL
				c.Outbound.Allow = strings.TrimPrefix(own.URL, "http://")
			})
			e.superuser()
			alias := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
				map[string]any{"kind": "ollama", "name": "Shared box", "base_url": op.URL + "/"}), 201).json["id"].(string)
			for _, provider := range []string{"local-ollama", alias} {
				for _, user := range []string{"alice", "bob"} {
					r := e.call(user, "DELETE", "/api/nyx/tenants/acme/models?provider="+provider+"&model=llama3.2:1b", nil)
					if r.status != 403 || r.json["code"] != "operator_host" {
						t.Errorf("%s deleting on %s: %d %s", user, provider, r.status, r.raw)
					}
					r = e.call(user, "POST", "/api/nyx/tenants/acme/models/pull", map[string]any{"provider": provider, "model": "big-model:405b"})
					if r.status != 403 || r.json["code"] != "operator_host" {
						t.Errorf("%s pulling on %s: %d %s", user, provider, r.status, r.raw)
					}
				}
			}
			if op.deletes.Load() != 0 || op.pulls.Load() != 0 {
				t.Fatalf("the operator's Ollama got %d deletes and %d pulls from tenants", op.deletes.Load(), op.pulls.Load())
			}
			for _, m := range items(e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/models", nil), 200)) {
				if m["manageable"] != false {
					t.Fatalf("an operator model is shown as manageable: %v", m)
				}
			}
			for _, p := range items(e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/providers", nil), 200)) {
				if p["operator"] != true || p["manageable"] != false {
					t.Fatalf("an operator host is shown as manageable: %v", p)
				}
			}

			q := "?host=" + url.QueryEscape(op.URL) + "&model=llama3.2:1b"
			if r := e.call("alice", "DELETE", "/api/nyx/operator/models"+q, nil); r.status != 403 || r.json["code"] != "superuser_required" {
				t.Fatalf("a tenant owner on the operator route: %d %s", r.status, r.raw)
			}
			if r := e.call("", "DELETE", "/api/nyx/operator/models"+q, nil); r.status != 401 {
				t.Fatalf("no token on the operator route: %d %s", r.status, r.raw)
			}
			e.must(e.call("root", "DELETE", "/api/nyx/operator/models"+q, nil), 204)
			status, names, _ := e.sseEvents("root", "/api/nyx/operator/models/pull", `{"host":"`+op.URL+`","model":"llama3.2:1b"}`)
			if status != 200 || len(names) == 0 || names[len(names)-1] != "done" || op.deletes.Load() != 1 || op.pulls.Load() != 1 {
				t.Fatalf("superuser pull: %d %v; deletes %d pulls %d", status, names, op.deletes.Load(), op.pulls.Load())
			}
			r := e.call("root", "DELETE", "/api/nyx/operator/models?host="+url.QueryEscape(own.URL)+"&model=llama3.2:1b", nil)
			if r.status != 404 || r.json["code"] != "operator_host_not_found" {
				t.Fatalf("superuser route on a tenant's host: %d %s", r.status, r.raw)
			}
			if hosts := e.must(e.call("root", "GET", "/api/nyx/operator/ollama", nil), 200); !strings.Contains(hosts.raw, op.URL) {
				t.Fatalf("operator hosts: %s", hosts.raw)
			}

			mine := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
				map[string]any{"kind": "ollama", "name": "My box", "base_url": own.URL}), 201)
			if mine.json["operator"] != false || mine.json["manageable"] != true {
				t.Fatalf("a tenant's own host: %s", mine.raw)
			}
			e.must(e.call("bob", "DELETE", "/api/nyx/tenants/acme/models?provider="+mine.json["id"].(string)+"&model=llama3.2:1b", nil), 204)
			if own.deletes.Load() != 1 {
				t.Fatalf("the tenant's own host got %d deletes", own.deletes.Load())
			}
		})
	}
}

// TestOperatorDelegatesModelManagement: with ollama.tenant_manage the
// operator lets tenant admins manage the shared Ollama.
func TestOperatorDelegatesModelManagement(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			op := startFakeOllama(t)
			e := configEnv(t, b.open, config.ModeEmbedded, func(c *config.Config) { c.Ollama.Host, c.Ollama.TenantManage = op.URL, true })
			e.must(e.call("bob", "DELETE", "/api/nyx/tenants/acme/models?provider=local-ollama&model=llama3.2:1b", nil), 204)
			if op.deletes.Load() != 1 {
				t.Fatalf("deletes = %d", op.deletes.Load())
			}
			if r := e.call("carol", "DELETE", "/api/nyx/tenants/acme/models?provider=local-ollama&model=llama3.2:1b", nil); r.status != 403 {
				t.Fatalf("a member deleted a model: %d", r.status)
			}
		})
	}
}

// TestPoolHostsAreOperatorHosts: in production, the Ollama servers of
// ollama.pool are reachable by tenants at their address (no allow entry
// needed) and read-only to them.
func TestPoolHostsAreOperatorHosts(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			pool := startFakeOllama(t)
			e := configEnv(t, b.open, config.ModeProduction, func(c *config.Config) { c.Ollama.Pool = "http://nowhere.invalid:11434, " + pool.URL })
			p := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": "ollama", "name": "Pool", "base_url": pool.URL}), 201)
			if p.json["operator"] != true || p.json["manageable"] != false {
				t.Fatalf("a pool host: %s", p.raw)
			}
			r := e.call("alice", "DELETE", "/api/nyx/tenants/acme/models?provider="+p.json["id"].(string)+"&model=llama3.2:1b", nil)
			if r.status != 403 || r.json["code"] != "operator_host" || pool.deletes.Load() != 0 {
				t.Fatalf("a tenant deleting on a pool host: %d %s", r.status, r.raw)
			}
		})
	}
}

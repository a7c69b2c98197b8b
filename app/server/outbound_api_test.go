package server_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/config"
)

// TestTenantURLsKeptOffLocalServices: with the default configuration, in
// both modes, a tenant admin cannot point a provider at a local service
// (Redis, PostgreSQL, any loopback or private port) nor at the operator's
// Ollama through an alias; nothing is saved and nothing is connected to.
// The operator's Ollama at its configured address is accepted, read-only.
func TestTenantURLsKeptOffLocalServices(t *testing.T) {
	for _, b := range backends {
		for _, mode := range modes {
			t.Run(b.name+"/"+mode, func(t *testing.T) {
				op := startFakeOllama(t)
				_, opPort, _ := net.SplitHostPort(op.Listener.Addr().String())
				svc, conns := listenCounting(t)
				_, svcPort, _ := net.SplitHostPort(svc)
				e := configEnv(t, b.open, mode, func(c *config.Config) { c.Ollama.Host = op.URL })
				cloud := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
					map[string]any{"kind": "openai", "name": "Cloud", "base_url": "https://llm.example.com/v1", "api_key": "sk-test-abcd"}), 201)
				before := e.snapshot()
				refused := []map[string]any{
					{"kind": "openai", "name": "Redis", "base_url": "http://127.0.0.1:6379"},
					{"kind": "ollama", "name": "Local svc", "base_url": "http://" + svc},
					{"kind": "openai", "name": "Local svc v6", "base_url": "http://[::1]:" + svcPort + "/v1"},
					{"kind": "ollama", "name": "Postgres", "base_url": "http://localhost:5432"},
					{"kind": "ollama", "name": "LAN", "base_url": "http://192.168.1.10:11434"},
					{"kind": "ollama", "name": "Alias", "base_url": "http://localhost:" + opPort},
				}
				for _, body := range refused {
					r := e.call("alice", "POST", "/api/nyx/tenants/acme/providers", body)
					if r.status != 400 || r.json["code"] != "forbidden_url" {
						t.Errorf("provider at %s: %d %s", body["base_url"], r.status, r.raw)
					}
					r = e.call("alice", "PATCH", "/api/nyx/tenants/acme/providers/"+cloud.json["id"].(string), map[string]any{"base_url": body["base_url"]})
					if r.status != 400 || r.json["code"] != "forbidden_url" {
						t.Errorf("moving a provider to %s: %d %s", body["base_url"], r.status, r.raw)
					}
				}
				if after := e.snapshot(); after != before {
					t.Fatalf("a refused request changed state:\n%s\n%s", before, after)
				}
				if n := conns.Load(); n != 0 {
					t.Fatalf("the local service got %d connections", n)
				}
				// The same address spelled IPv4-mapped is the same server: the
				// operator's, read-only.
				mapped := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
					map[string]any{"kind": "ollama", "name": "Mapped", "base_url": "http://[::ffff:127.0.0.1]:" + opPort}), 201)
				if mapped.json["operator"] != true || mapped.json["manageable"] != false {
					t.Fatalf("a provider at the operator's Ollama, IPv4-mapped: %s", mapped.raw)
				}
				r := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
					map[string]any{"kind": "ollama", "name": "Shared", "base_url": op.URL}), 201)
				if r.json["operator"] != true || r.json["manageable"] != false {
					t.Fatalf("a provider at the operator's Ollama: %s", r.raw)
				}
				if r := e.call("alice", "POST", "/api/nyx/tenants/acme/providers/"+r.json["id"].(string)+"/test", nil); r.json["ok"] != true {
					t.Fatalf("the operator's Ollama is unusable: %s", r.raw)
				}
			})
		}
	}
}

// TestNonCanonicalHostsRefused: every numeric spelling of an address that
// resolvers turn into loopback or cloud metadata is an invalid host at save
// time, even where loopback and private ranges are allowed.
func TestNonCanonicalHostsRefused(t *testing.T) {
	forms := []string{"2852039166", "0xa9fea9fe", "0251.0376.0251.0376", "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "127.0.0.1.", "10.0.0.010"}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := configEnv(t, b.open, config.ModeEmbedded, func(c *config.Config) { c.Outbound.Allow = "loopback,private" })
			cloud := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
				map[string]any{"kind": "openai", "name": "Cloud", "base_url": "https://llm.example.com/v1"}), 201)
			before := e.snapshot()
			for _, host := range forms {
				for _, kind := range []string{"ollama", "openai"} {
					r := e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": kind, "name": "Odd " + host, "base_url": "http://" + host + ":8080"})
					if r.status != 400 || r.json["code"] != "invalid_host" {
						t.Errorf("%s provider at %s: %d %s", kind, host, r.status, r.raw)
					}
				}
				r := e.call("alice", "PATCH", "/api/nyx/tenants/acme/providers/"+cloud.json["id"].(string), map[string]any{"base_url": "http://" + host + "/v1"})
				if r.status != 400 || r.json["code"] != "invalid_host" {
					t.Errorf("moving a provider to %s: %d %s", host, r.status, r.raw)
				}
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("a refused request changed state:\n%s\n%s", before, after)
			}
		})
	}
}

// TestUpstreamTextNotEchoed: a local service the operator allowed, which
// answers with its own data, gets none of it back to the tenant through
// "test connection" or the models list, as error text or as model names.
func TestUpstreamTextNotEchoed(t *testing.T) {
	const secret = "NYX-LEAK-5150"
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, secret+" internal: db password=hunter2 at 10.1.2.3:5432", http.StatusInternalServerError)
	}))
	defer failing.Close()
	chatty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"version":"1","object":"list","data":[{"id":"` + secret + ` customer row 1","object":"model"}],` +
			`"models":[{"name":"` + secret + ` customer row 1","model":"x"}]}`))
	}))
	defer chatty.Close()
	allow := strings.TrimPrefix(failing.URL, "http://") + "," + strings.TrimPrefix(chatty.URL, "http://")
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := configEnv(t, b.open, config.ModeProduction, func(c *config.Config) { c.Outbound.Allow = allow })
			for _, srv := range []string{failing.URL, chatty.URL} {
				for _, kind := range []string{"ollama", "openai"} {
					base := srv
					if kind == "openai" {
						base += "/v1"
					}
					p := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": kind, "name": kind + " " + srv, "base_url": base}), 201)
					r := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers/"+p.json["id"].(string)+"/test", nil), 200)
					if strings.Contains(r.raw, secret) || strings.Contains(r.raw, "hunter2") || strings.Contains(r.raw, "10.1.2.3") {
						t.Errorf("test connection of %s at %s echoed the service: %s", kind, srv, r.raw)
					}
					if srv == failing.URL {
						er, _ := r.json["error"].(map[string]any)
						data, _ := er["data"].(map[string]any)
						if r.json["ok"] != false || er["code"] != "provider_unavailable" || data["status"] != 500.0 {
							t.Errorf("test connection of %s at a failing service: %s", kind, r.raw)
						}
					}
				}
			}
			r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/models", nil), 200)
			problems, _ := r.json["errors"].([]any)
			if strings.Contains(r.raw, secret) || strings.Contains(r.raw, "hunter2") || len(problems) != 4 {
				t.Fatalf("models list shows the services' data: %s", r.raw)
			}
		})
	}
}

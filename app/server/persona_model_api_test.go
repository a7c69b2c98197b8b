package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/secret"
)

// warnings are the codes of a saved persona's warnings.
func warnings(r response) []string {
	raw, _ := r.json["warnings"].([]any)
	var out []string
	for _, w := range raw {
		out = append(out, w.(map[string]any)["code"].(string))
	}
	return out
}

// TestPersonaModelIsChecked: saving a persona checks its model against the
// provider: a model the host lacks is a 422 model_not_found naming it, an
// untagged name is saved as Ollama lists it (tiny -> tiny:latest), and a
// provider that cannot be reached saves the persona with a model_unchecked
// warning, quickly.
func TestPersonaModelIsChecked(t *testing.T) {
	srv := ollamatest.Start(t)
	e := newEnvWith(t, backends[0].open, srv.URL())
	const personas = "/api/nyx/tenants/acme/personas"

	r := e.call("carol", "POST", personas, map[string]any{"name": "Ghost", "provider_id": "local-ollama", "model": "absent"})
	data, _ := r.json["data"].(map[string]any)
	if r.status != 422 || r.json["code"] != "model_not_found" || data["field"] != "model" || !strings.Contains(r.json["message"].(string), `"absent:latest"`) {
		t.Fatalf("unknown model: %d %s", r.status, r.raw)
	}
	if got := items(e.must(e.call("carol", "GET", personas, nil), 200)); len(got) != 0 {
		t.Fatalf("a refused persona was saved: %v", got)
	}

	untagged := strings.TrimSuffix(ollamatest.ModelTiny, ":latest")
	p := e.must(e.call("carol", "POST", personas, map[string]any{"name": "Tiny", "provider_id": "local-ollama", "model": untagged}), 201)
	if p.json["model"] != ollamatest.ModelTiny || len(warnings(p)) != 0 {
		t.Fatalf("untagged model: %s", p.raw)
	}
	id := p.json["id"].(string)

	r = e.call("carol", "PATCH", personas+"/"+id, map[string]any{"model": "absent"})
	if r.status != 422 || r.json["code"] != "model_not_found" {
		t.Fatalf("update to an unknown model: %d %s", r.status, r.raw)
	}
	if g := e.must(e.call("carol", "GET", personas+"/"+id, nil), 200); g.json["model"] != ollamatest.ModelTiny {
		t.Fatalf("a refused update changed the persona: %s", g.raw)
	}
	r = e.must(e.call("carol", "PATCH", personas+"/"+id, map[string]any{"model": strings.TrimSuffix(ollamatest.ModelTinyEOS, ":latest")}), 200)
	if r.json["model"] != ollamatest.ModelTinyEOS || len(warnings(r)) != 0 {
		t.Fatalf("update to an untagged model: %s", r.raw)
	}

	// A host that is down: saved, with a warning, within the check's bound.
	down := ollamatest.Start(t)
	down.Stop()
	prov := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
		map[string]any{"kind": "ollama", "name": "Own box", "base_url": down.URL()}), 201).json["id"].(string)
	start := time.Now()
	r = e.must(e.call("carol", "POST", personas, map[string]any{"name": "Prepared", "provider_id": prov, "model": "llama3.2"}), 201)
	if w := warnings(r); len(w) != 1 || w[0] != "model_unchecked" || r.json["model"] != "llama3.2:latest" {
		t.Fatalf("persona on a host that is down: %s", r.raw)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Fatalf("saving took %s with the host down", took)
	}
	// Moving a persona to that provider re-checks its model against it.
	r = e.must(e.call("carol", "PATCH", personas+"/"+id, map[string]any{"provider_id": prov}), 200)
	if w := warnings(r); len(w) != 1 || w[0] != "model_unchecked" {
		t.Fatalf("moving the persona to a host that is down: %s", r.raw)
	}
	r = e.call("carol", "PATCH", personas+"/"+id, map[string]any{"provider_id": "nope"})
	if data, _ := r.json["data"].(map[string]any); r.status != 400 || r.json["code"] != "invalid_field" || data["field"] != "provider_id" {
		t.Fatalf("moving the persona to no provider: %d %s", r.status, r.raw)
	}
	// Only the name changes: no model check, no warning.
	r = e.must(e.call("carol", "PATCH", personas+"/"+id, map[string]any{"name": "Renamed"}), 200)
	if len(warnings(r)) != 0 {
		t.Fatalf("a rename re-checked the model: %s", r.raw)
	}
}

// failoverEnv is an env whose built-in Ollama is builtin, with
// ollama.failover_to_operator set to failover.
func failoverEnv(t *testing.T, builtin string, failover bool) *env {
	return newEnvRegistry(t, backends[0].open, func(*config.Config) *registry.Registry {
		key, err := secret.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		ring, err := secret.NewKeyring(key)
		if err != nil {
			t.Fatal(err)
		}
		guard, err := outbound.Parse("loopback")
		if err != nil {
			t.Fatal(err)
		}
		return registry.New(registry.Options{Keyring: ring, BuiltinOllama: builtin, NumCtxMax: 512, Outbound: guard, FailoverToOperator: failover})
	}, nil)
}

// TestTenantHostDownIsNotServedByTheOperator: a persona on a tenant's own
// Ollama, which is down while the built-in one is up, fails its try-out
// and its discussion turn with provider_unavailable and the built-in host
// serves nothing; with ollama.failover_to_operator the built-in host
// answers and the usage names it.
func TestTenantHostDownIsNotServedByTheOperator(t *testing.T) {
	builtin, own := ollamatest.Start(t), ollamatest.Start(t)
	own.Stop()
	setup := func(e *env) (persona string) {
		prov := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
			map[string]any{"kind": "ollama", "name": "Own box", "base_url": own.URL()}), 201).json["id"].(string)
		return e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas",
			map[string]any{"name": "Mine", "provider_id": prov, "model": ollamatest.ModelTinyEOS}), 201).json["id"].(string)
	}

	t.Run("not allowed", func(t *testing.T) {
		e := failoverEnv(t, builtin.URL(), false)
		persona := setup(e)
		_, names, data := e.sseEvents("carol", "/api/nyx/tenants/acme/personas/"+persona+"/try", `{"message":"hello"}`)
		if len(names) != 1 || names[0] != "error" || !strings.Contains(data[0], `"code":"provider_unavailable"`) {
			t.Fatalf("try-out on a host that is down: %v %v", names, data)
		}
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{persona}}), 201).json["id"].(string)
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+d+"/messages", map[string]any{"content": "hello"}), 202)
		ms := messages(e.waitTurn(d))
		last := ms[len(ms)-1]
		if errText := fmt.Sprint(last["error"]); last["status"] != "error" || last["content"] != "" || !strings.Contains(errText, "unavailable") || strings.Contains(errText, "bad_response") {
			t.Fatalf("turn on a host that is down: %v", last)
		}
		if m := loadedModels(t, builtin.URL()); len(m) != 0 {
			t.Fatalf("the built-in host ran %v for a persona pinned to the tenant's host", m)
		}
	})
	t.Run("allowed", func(t *testing.T) {
		e := failoverEnv(t, builtin.URL(), true)
		persona := setup(e)
		_, names, data := e.sseEvents("carol", "/api/nyx/tenants/acme/personas/"+persona+"/try", `{"message":"hello"}`)
		if len(names) < 2 || names[len(names)-1] != "done" || !strings.Contains(data[len(data)-1], `"host":"`+builtin.URL()+`"`) {
			t.Fatalf("try-out with failover to the operator: %v %v", names, data)
		}
	})
}

// loadedModels lists the models a real Ollama has in memory: what it has
// served lately.
func loadedModels(t *testing.T, url string) []string {
	t.Helper()
	res, err := http.Get(url + "/api/ps")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ps struct{ Models []struct{ Name string } }
	if err := json.NewDecoder(res.Body).Decode(&ps); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ps.Models {
		out = append(out, m.Name)
	}
	return out
}

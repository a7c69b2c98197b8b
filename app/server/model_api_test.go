package server_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

// sseEvents posts body and collects the "event" names and data lines of
// an SSE answer.
func (e *env) sseEvents(user, path string, body string) (int, []string, []string) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.url+e.expand(path), strings.NewReader(body))
	req.Header.Set("Authorization", e.token(user))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var names, data []string
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			names = append(names, v)
		}
		if v, ok := strings.CutPrefix(line, "data: "); ok {
			data = append(data, v)
		}
	}
	return res.StatusCode, names, data
}

// TestModelsAndPersonasAgainstRealOllama: a fresh tenant sees the local
// Ollama's models with no configuration, a persona answers by streaming,
// an unreachable host is reported without hiding the others, and model
// management gives typed errors.
func TestModelsAndPersonasAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	e := newEnvWith(t, backends[0].open, srv.URL())

	r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/models", nil), 200)
	found := false
	for _, m := range items(r) {
		if m["name"] == ollamatest.ModelTinyEOS && m["provider_id"] == "local-ollama" && m["provider_kind"] == "ollama" && m["size"].(float64) > 0 {
			found = true
		}
	}
	if !found {
		t.Fatalf("local models not listed: %s", r.raw)
	}

	e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
		map[string]any{"kind": "ollama", "name": "Down box", "base_url": "http://127.0.0.1:1"}), 201)
	r = e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/models", nil), 200)
	problems, _ := r.json["errors"].([]any)
	if len(items(r)) < 2 || len(problems) != 1 || problems[0].(map[string]any)["code"] != "provider_unavailable" {
		t.Fatalf("models with one host down: %s", r.raw)
	}

	p := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas", map[string]any{
		"name": "Tiny", "provider_id": "local-ollama", "model": ollamatest.ModelTinyEOS, "system_prompt": "Be brief."}), 201)
	status, names, data := e.sseEvents("carol", "/api/nyx/tenants/acme/personas/"+p.json["id"].(string)+"/try", `{"message":"hello"}`)
	if status != 200 || len(names) < 2 || names[0] != "delta" || names[len(names)-1] != "done" {
		t.Fatalf("try: %d %v", status, names)
	}
	if !strings.Contains(data[len(data)-1], `"completion_tokens"`) {
		t.Fatalf("done event without usage: %s", data[len(data)-1])
	}

	// A model the host lacks is refused when the persona is saved (more in
	// TestPersonaModelIsChecked).
	r = e.call("carol", "POST", "/api/nyx/tenants/acme/personas", map[string]any{
		"name": "Ghost", "provider_id": "local-ollama", "model": "absent:latest"})
	if r.status != 422 || r.json["code"] != "model_not_found" {
		t.Fatalf("a persona with a missing model: %d %s", r.status, r.raw)
	}

	// The local Ollama is the operator's: superusers manage it.
	e.superuser()
	r = e.call("root", "DELETE", "/api/nyx/operator/models?host="+srv.URL()+"&model=absent:latest", nil)
	if r.status != 404 || r.json["code"] != "model_not_found" {
		t.Fatalf("deleting a missing model: %d %s", r.status, r.raw)
	}
	r = e.call("alice", "DELETE", "/api/nyx/tenants/acme/models?provider=local-ollama&model=absent:latest", nil)
	if r.status != 403 || r.json["code"] != "operator_host" {
		t.Fatalf("a tenant owner deleting on the operator's Ollama: %d %s", r.status, r.raw)
	}
	r = e.call("bob", "POST", "/api/nyx/tenants/acme/models/pull", map[string]any{"provider": "local-ollama", "model": "bad name"})
	if r.status != 400 || r.json["code"] != "invalid_model" {
		t.Fatalf("pull with a bad name: %d %s", r.status, r.raw)
	}
	r = e.call("carol", "POST", "/api/nyx/tenants/acme/models/pull", map[string]any{"provider": "local-ollama", "model": "x"})
	if r.status != 403 {
		t.Fatalf("member pulled a model: %d", r.status)
	}
	status, names, data = e.sseEvents("root", "/api/nyx/operator/models/pull", `{"host":"`+srv.URL()+`","model":"nyx-absent-model:latest"}`)
	if status != 200 || len(names) == 0 || names[len(names)-1] != "error" ||
		!(strings.Contains(data[len(data)-1], "model_not_found") || strings.Contains(data[len(data)-1], "provider_unavailable")) {
		t.Fatalf("pull of a model that does not exist: %d %v %v", status, names, data)
	}
	if r := e.call("alice", "POST", "/api/nyx/tenants/acme/providers/local-ollama/test", nil); r.status != 200 || r.json["ok"] != true {
		t.Fatalf("test connection: %s", r.raw)
	}
}

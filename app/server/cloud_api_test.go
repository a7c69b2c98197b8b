package server_test

import (
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/llm/wiretest"
)

// TestCloudProvidersEndToEnd drives each cloud provider through the API
// against a local server speaking that API's wire format: the sealed key
// reaches the provider, models are listed, a persona streams a reply, and a
// wrong key is a typed error that never echoes the key.
func TestCloudProvidersEndToEnd(t *testing.T) {
	cases := []struct {
		kind string
		url  func(t *testing.T) (string, *wiretest.Server)
	}{
		{"openai", func(t *testing.T) (string, *wiretest.Server) { s := wiretest.NewOpenAI(t); return s.URL(), s.Server }},
		{"anthropic", func(t *testing.T) (string, *wiretest.Server) { s := wiretest.NewAnthropic(t); return s.URL(), s.Server }},
		{"google", func(t *testing.T) (string, *wiretest.Server) { s := wiretest.NewGemini(t); return s.URL(), s.Server }},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			e := newEnv(t, backends[0].open)
			base, srv := c.url(t)
			srv.SetScript(wiretest.Script{Reply: "Hello from the cloud.", Chunks: 4})
			p := e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers",
				map[string]any{"kind": c.kind, "name": "Cloud", "base_url": base, "api_key": wiretest.DefaultKey}), 201)
			pid := p.json["id"].(string)

			if r := e.call("alice", "POST", "/api/nyx/tenants/acme/providers/"+pid+"/test", nil); r.json["ok"] != true {
				t.Fatalf("test connection: %s", r.raw)
			}
			r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/models", nil), 200)
			var model string
			for _, m := range items(r) {
				if m["provider_id"] == pid {
					model = m["name"].(string)
				}
			}
			if model == "" {
				t.Fatalf("no models from %s: %s", c.kind, r.raw)
			}
			per := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas",
				map[string]any{"name": "Cloudy", "provider_id": pid, "model": model, "system_prompt": "Be helpful.", "temperature": 0.3}), 201)
			path := "/api/nyx/tenants/acme/personas/" + per.json["id"].(string) + "/try"
			status, names, data := e.sseEvents("carol", path, `{"message":"hi"}`)
			if status != 200 || names[len(names)-1] != "done" {
				t.Fatalf("try: %d %v %v", status, names, data)
			}
			text := ""
			for i, n := range names {
				if n == "delta" {
					text += strings.TrimSuffix(strings.TrimPrefix(data[i], `{"text":"`), `"}`)
				}
			}
			if text != "Hello from the cloud." {
				t.Fatalf("streamed text = %q", text)
			}
			if !strings.Contains(string(srv.Last().Raw), "Be helpful.") {
				t.Fatalf("the system prompt did not reach the provider: %s", srv.Last().Raw)
			}

			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/providers/"+pid, map[string]any{"api_key": "sk-wrong-key-zzzz"}), 200)
			_, names, data = e.sseEvents("carol", path, `{"message":"hi"}`)
			if len(names) != 1 || names[0] != "error" || !strings.Contains(data[0], "provider_auth") {
				t.Fatalf("wrong key: %v %v", names, data)
			}
			if strings.Contains(data[0], "sk-wrong-key") || strings.Contains(data[0], wiretest.DefaultKey) {
				t.Fatalf("an error echoed the key: %s", data[0])
			}
		})
	}
}

package server_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

// persona creates a persona on the local Ollama and returns its id.
func (e *env) persona(name, model string, opts map[string]any) string {
	e.t.Helper()
	body := map[string]any{"name": name, "provider_id": "local-ollama", "model": model}
	if opts != nil {
		body["options"] = opts
	}
	return e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas", body), 201).json["id"].(string)
}

// waitTurn polls until the discussion has no running turn and returns it.
func (e *env) waitTurn(id string) response {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/discussions/"+id, nil), 200)
		if r.json["discussion"].(map[string]any)["running_turn_id"] == "" {
			return r
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("turn still running: %s", r.raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func messages(r response) []map[string]any {
	raw, _ := r.json["messages"].([]any)
	out := []map[string]any{}
	for _, m := range raw {
		out = append(out, m.(map[string]any))
	}
	return out
}

// TestDiscussionsAgainstRealOllama runs all three modes end to end, streams
// a turn to a subscriber, stops one mid-stream, and checks bad input.
func TestDiscussionsAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	e := newEnvWith(t, backends[0].open, srv.URL())
	ada, bob := e.persona("Ada", ollamatest.ModelTinyEOS, nil), e.persona("Bob", ollamatest.ModelTinyEOS, nil)
	long := e.persona("Long", ollamatest.ModelTiny, map[string]any{"max_tokens": 100000})

	t.Run("single, streamed to a subscriber", func(t *testing.T) {
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"title": "Hello", "mode": "single", "persona_ids": []string{ada}}), 201)
		id := d.json["id"].(string)
		events := e.subscribe(t, "/api/nyx/tenants/acme/discussions/"+id+"/events")
		activity := e.subscribe(t, "/api/nyx/tenants/acme/events")
		p := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "hi"}), 202)
		if p.json["turn_id"] == "" {
			t.Fatalf("post = %s", p.raw)
		}
		seen := events.until(t, `"status":"done"`, "turn")
		if !strings.Contains(seen, "event: delta") || !strings.Contains(seen, "event: message") {
			t.Fatalf("stream lacked deltas or messages:\n%s", seen)
		}
		if seen := activity.until(t, `"status":"done"`, "turn"); !strings.Contains(seen, id) || !strings.Contains(seen, `"status":"running"`) {
			t.Fatalf("tenant activity did not show the turn:\n%s", seen)
		}
		ms := messages(e.waitTurn(id))
		if len(ms) != 2 || ms[1]["status"] != "done" || ms[1]["content"] == "" || ms[1]["persona_id"] != ada {
			t.Fatalf("messages = %v", ms)
		}
		usage := ms[1]["usage"].(map[string]any)
		if usage["completion_tokens"].(float64) == 0 {
			t.Fatalf("usage = %v", usage)
		}
	})
	t.Run("parallel", func(t *testing.T) {
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "parallel", "persona_ids": []string{ada, bob}}), 201)
		id := d.json["id"].(string)
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "both of you"}), 202)
		ms := messages(e.waitTurn(id))
		if len(ms) != 3 || ms[1]["status"] != "done" || ms[2]["status"] != "done" || ms[1]["persona_id"] == ms[2]["persona_id"] {
			t.Fatalf("messages = %v", ms)
		}
	})
	t.Run("consensus", func(t *testing.T) {
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "consensus",
			"persona_ids": []string{ada, bob}, "moderator_persona_id": ada, "consensus": map[string]any{"max_rounds": 2, "threshold": 0.8}}), 201)
		id := d.json["id"].(string)
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "agree?"}), 202)
		r := e.waitTurn(id)
		ms := messages(r)
		rounds, _ := r.json["rounds"].([]any)
		if len(rounds) == 0 || ms[len(ms)-1]["role"] != "moderator" || ms[len(ms)-1]["status"] != "done" {
			t.Fatalf("consensus: rounds %v, last %v", rounds, ms[len(ms)-1])
		}
		round := rounds[0].(map[string]any)
		if round["agreement"].(float64) < 0 || round["agreement"].(float64) > 1 || round["explanation"] == "" {
			t.Fatalf("round = %v", round)
		}
		md := e.call("dan", "GET", "/api/nyx/tenants/acme/discussions/"+id+"/export?format=md", nil)
		if md.status != 200 || !strings.Contains(md.raw, "Moderator") || !strings.Contains(md.raw, "Agreement by round") {
			t.Fatalf("export md = %d %s", md.status, md.raw)
		}
		js := e.call("dan", "GET", "/api/nyx/tenants/acme/discussions/"+id+"/export?format=json", nil)
		if js.status != 200 || len(messages(js)) != len(ms) {
			t.Fatalf("export json = %d", js.status)
		}
	})
	t.Run("stop mid-stream keeps the partial reply", func(t *testing.T) {
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{long}}), 201)
		id := d.json["id"].(string)
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "go on"}), 202)
		r := e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "again"})
		if r.status != 409 || r.json["code"] != "turn_running" {
			t.Fatalf("post while running: %d %s", r.status, r.raw)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			ms := messages(e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/discussions/"+id, nil), 200))
			if len(ms) == 2 && len(ms[1]["content"].(string)) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("nothing was flushed while streaming")
			}
			time.Sleep(20 * time.Millisecond)
		}
		if s := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/stop", nil), 200); s.json["stopped"] != true {
			t.Fatalf("stop = %s", s.raw)
		}
		ms := messages(e.waitTurn(id))
		if ms[1]["status"] != "stopped" || ms[1]["content"] == "" {
			t.Fatalf("after stop: %v", ms[1])
		}
		if s := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/stop", nil), 200); s.json["stopped"] != false {
			t.Fatalf("stop on a finished turn = %s", s.raw)
		}
	})
	t.Run("regenerate", func(t *testing.T) {
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "parallel", "persona_ids": []string{ada, bob}}), 201)
		id := d.json["id"].(string)
		if r := e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/regenerate", nil); r.status != 409 || r.json["code"] != "nothing_to_regenerate" {
			t.Fatalf("regenerate an empty discussion: %d %s", r.status, r.raw)
		}
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "again please"}), 202)
		e.waitTurn(id)
		r := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/regenerate", nil), 202)
		ms := messages(e.waitTurn(id))
		if len(ms) != 5 || ms[3]["turn_id"] != r.json["turn_id"] || ms[4]["status"] != "done" || ms[3]["role"] != "assistant" {
			t.Fatalf("after regenerate: %v", ms)
		}
	})
	t.Run("search", func(t *testing.T) {
		r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/discussions?q=both+of", nil), 200)
		if len(items(r)) != 1 || items(r)[0]["mode"] != "parallel" {
			t.Fatalf("search = %s", r.raw)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		eveP := e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/personas", map[string]any{"name": "E", "provider_id": "local-ollama", "model": ollamatest.ModelTinyEOS}), 201).json["id"]
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{ada}}), 201).json["id"].(string)
		cases := []struct {
			name, as, method, path string
			body                   any
			status                 int
			code                   string
		}{
			{"unknown mode", "carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "debate", "persona_ids": []string{ada}}, 400, "invalid_field"},
			{"other tenant's persona", "carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []any{eveP}}, 400, "invalid_field"},
			{"consensus needs two", "carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "consensus", "persona_ids": []string{ada}}, 400, "invalid_field"},
			{"duplicate persona", "carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "parallel", "persona_ids": []string{ada, ada}}, 400, "invalid_field"},
			{"threshold out of range", "carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "consensus", "persona_ids": []string{ada, bob}, "consensus": map[string]any{"threshold": 2}}, 400, "invalid_field"},
			{"viewer cannot start", "dan", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{ada}}, 403, "forbidden"},
			{"empty message", "carol", "POST", "/api/nyx/tenants/acme/discussions/" + d + "/messages", map[string]any{"content": "   "}, 400, "invalid_field"},
			{"oversized message", "carol", "POST", "/api/nyx/tenants/acme/discussions/" + d + "/messages", map[string]any{"content": strings.Repeat("x", 33<<10)}, 413, "body_too_large"},
			{"viewer cannot post", "dan", "POST", "/api/nyx/tenants/acme/discussions/" + d + "/messages", map[string]any{"content": "hi"}, 403, "forbidden"},
			{"outsider cannot read", "eve", "GET", "/api/nyx/tenants/acme/discussions/" + d, nil, 404, "tenant_not_found"},
			{"outsider cannot subscribe", "eve", "GET", "/api/nyx/tenants/acme/discussions/" + d + "/events", nil, 404, "tenant_not_found"},
			{"unknown discussion", "carol", "GET", "/api/nyx/tenants/acme/discussions/nope", nil, 404, "discussion_not_found"},
			{"other tenant's discussion by id", "eve", "GET", "/api/nyx/tenants/bravo/discussions/" + d, nil, 404, "discussion_not_found"},
			{"bad export format", "carol", "GET", "/api/nyx/tenants/acme/discussions/" + d + "/export?format=pdf", nil, 400, "invalid_field"},
		}
		for _, c := range cases {
			r := e.call(c.as, c.method, c.path, c.body)
			if r.status != c.status || r.json["code"] != c.code {
				t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.raw, c.status, c.code)
			}
		}
	})
}

// stream is an open SSE response.
type stream struct {
	sc     *bufio.Scanner
	cancel context.CancelFunc
}

func (e *env) subscribe(t *testing.T, path string) *stream {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", e.url+path, nil)
	req.Header.Set("Authorization", e.token("dan"))
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("subscribe: %v %v", res, err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return &stream{sc: bufio.NewScanner(res.Body), cancel: cancel}
}

// until reads frames until an event named name whose data contains want.
func (s *stream) until(t *testing.T, want, name string) string {
	var all strings.Builder
	timer := time.AfterFunc(30*time.Second, s.cancel)
	defer timer.Stop()
	event := ""
	for s.sc.Scan() {
		line := s.sc.Text()
		all.WriteString(line + "\n")
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			event = v
		}
		if strings.HasPrefix(line, "data: ") && event == name && strings.Contains(line, want) {
			return all.String()
		}
	}
	t.Fatalf("stream ended before %s %s:\n%s", name, want, all.String())
	return ""
}

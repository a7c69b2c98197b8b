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

// userDay is carol's tokens used today, as the usage API shows them.
func (e *env) userDay() float64 {
	e.t.Helper()
	r := e.must(e.call("carol", "GET", "/api/nyx/tenants/acme/usage", nil), 200)
	return r.json["usage"].(map[string]any)["user_day"].(float64)
}

// TestCutRepliesAreChargedThroughTheAPI: on the real Ollama, a discussion
// reply stopped mid-stream and a persona try-out whose client hangs up are
// both charged what they streamed (before, both were charged nothing: the
// counts come in Ollama's final chunk, which a cut stream never gets).
func TestCutRepliesAreChargedThroughTheAPI(t *testing.T) {
	srv := ollamatest.Start(t)
	e := newEnvWith(t, backends[0].open, srv.URL())
	long := e.persona("Long", ollamatest.ModelTiny, map[string]any{"max_tokens": 100000})

	t.Run("a stopped discussion reply", func(t *testing.T) {
		before := e.userDay()
		d := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{long}}), 201)
		id := d.json["id"].(string)
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/messages", map[string]any{"content": "go on"}), 202)
		deadline := time.Now().Add(30 * time.Second)
		for {
			// 200 bytes are at least 50 tokens by either estimate.
			ms := messages(e.must(e.call("dan", "GET", "/api/nyx/tenants/acme/discussions/"+id, nil), 200))
			if len(ms) == 2 && len(ms[1]["content"].(string)) >= 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the reply did not stream 200 bytes")
			}
			time.Sleep(20 * time.Millisecond)
		}
		e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions/"+id+"/stop", nil), 200)
		ms := messages(e.waitTurn(id))
		u := ms[1]["usage"].(map[string]any)
		if ms[1]["status"] != "stopped" || u["estimated"] != true || u["completion_tokens"].(float64) < 50 || u["host"] != srv.URL() {
			t.Fatalf("stopped reply: %s, usage %v", ms[1]["status"], u)
		}
		charged := u["prompt_tokens"].(float64) + u["completion_tokens"].(float64)
		if got := e.userDay() - before; got != charged {
			t.Fatalf("today's usage grew by %v, want the reply's %v", got, charged)
		}
	})

	t.Run("a try-out whose client hangs up", func(t *testing.T) {
		before := e.userDay()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", e.url+"/api/nyx/tenants/acme/personas/"+long+"/try", strings.NewReader(`{"message":"talk"}`))
		req.Header.Set("Authorization", e.token("carol"))
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("try: %v %v", res, err)
		}
		deltas := 0
		for sc := bufio.NewScanner(res.Body); deltas < 50 && sc.Scan(); {
			if sc.Text() == "event: delta" {
				deltas++
			}
		}
		if deltas < 50 {
			t.Fatalf("the try-out streamed %d deltas", deltas)
		}
		cancel() // the client hangs up
		res.Body.Close()
		deadline := time.Now().Add(30 * time.Second)
		for e.userDay()-before < 50 {
			if time.Now().After(deadline) {
				t.Fatalf("a try-out cut after %d chunks was charged %v tokens", deltas, e.userDay()-before)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

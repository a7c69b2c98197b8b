package ollama_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Run(m)) }

func newHost(t *testing.T, url string, numCtxMax int) *ollama.Host {
	t.Helper()
	h, err := ollama.NewHost(url, ollama.Options{NumCtxMax: numCtxMax})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func hi(model string, maxTokens int) llm.ChatRequest {
	return llm.ChatRequest{Model: model, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "You are terse."}, {Role: llm.RoleUser, Content: "hi"}},
		Options: llm.Options{MaxTokens: maxTokens}}
}

func TestHostAgainstRealOllama(t *testing.T) {
	srv := ollamatest.Start(t)
	ctx := context.Background()
	h := newHost(t, srv.URL(), 256)

	t.Run("health", func(t *testing.T) {
		if err := h.Health(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("streams a reply that stops", func(t *testing.T) {
		var parts []string
		u, err := h.Chat(ctx, hi(ollamatest.ModelTinyEOS, 0), func(s string) error { parts = append(parts, s); return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(parts) < 2 || strings.Join(parts, "") == "" {
			t.Fatalf("deltas = %q", parts)
		}
		if u.DoneReason != "stop" || u.CompletionTokens == 0 || u.PromptTokens == 0 || u.TimeToFirstToken <= 0 || u.Host != h.URL() {
			t.Fatalf("usage = %+v", u)
		}
	})
	t.Run("num_ctx is sent explicitly and capped", func(t *testing.T) {
		u, err := h.Chat(ctx, hi(ollamatest.ModelTiny, 5), func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if u.NumCtx != 256 {
			t.Fatalf("usage num_ctx = %d, want the cap 256", u.NumCtx)
		}
		ps := runningContext(t, srv.URL(), ollamatest.ModelTiny)
		if ps != 256 {
			t.Fatalf("the runner was loaded with context %d, want 256", ps)
		}
	})
	t.Run("max tokens ends with length", func(t *testing.T) {
		u, err := h.Chat(ctx, hi(ollamatest.ModelTiny, 20), func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if u.CompletionTokens != 20 || u.DoneReason != "length" {
			t.Fatalf("usage = %+v, want 20 tokens and length", u)
		}
	})
	t.Run("models show loaded state and context length", func(t *testing.T) {
		ms, err := h.Models(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]llm.Model{}
		for _, m := range ms {
			found[m.Name] = m
		}
		tiny, ok := found[ollamatest.ModelTiny]
		if !ok || !tiny.Loaded || tiny.ContextLength == 0 || tiny.Size == 0 {
			t.Fatalf("models = %+v", ms)
		}
	})
	t.Run("truncation risk is reported", func(t *testing.T) {
		small := newHost(t, srv.URL(), 64)
		req := hi(ollamatest.ModelTinyEOS, 0)
		req.Messages[1].Content = strings.Repeat("tell me more about this ", 40)
		u, err := small.Chat(ctx, req, func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if !u.TruncationRisk || u.NumCtx != 64 {
			t.Fatalf("usage = %+v, want a truncation risk at num_ctx 64", u)
		}
	})
	t.Run("missing model", func(t *testing.T) {
		_, err := h.Chat(ctx, hi("no-such-model:latest", 0), func(string) error { return nil })
		if !errors.Is(err, llm.ErrModelNotFound) {
			t.Fatalf("err = %v, want model not found", err)
		}
	})
	t.Run("caller error stops the stream", func(t *testing.T) {
		// A server of its own: Ollama 0.17.4 can leave its only generation
		// slot taken when a client hangs up mid-stream (its chat handler's
		// producer blocks sending to a stream nobody reads any more), and
		// that must not hold up the subtests after this one.
		h := newHost(t, ollamatest.Start(t).URL(), 256)
		stop := errors.New("enough")
		n := 0
		_, err := h.Chat(ctx, hi(ollamatest.ModelTiny, 500), func(string) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Fatalf("err = %v after %d deltas, want the caller's error after 1", err, n)
		}
	})
	t.Run("cancel mid-stream", func(t *testing.T) {
		// A server of its own, as above: the hang-up may leave Ollama's
		// slot taken. That the connection is closed at once is checked
		// against a wire-format server in TestCancelClosesTheConnection.
		h := newHost(t, ollamatest.Start(t).URL(), 256)
		cctx, cancel := context.WithCancel(ctx)
		n := 0
		start := time.Now()
		_, err := h.Chat(cctx, hi(ollamatest.ModelTiny, 100000), func(string) error {
			if n++; n == 3 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, llm.ErrCancelled) || n != 3 {
			t.Fatalf("err = %v after %d deltas, want cancelled after 3", err, n)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("cancel took %s", time.Since(start))
		}
	})
	t.Run("delete and a pull that cannot succeed", func(t *testing.T) {
		if err := copyModel(t, srv.URL(), ollamatest.ModelTinyEOS, "scratch:latest"); err != nil {
			t.Fatal(err)
		}
		if err := h.Delete(ctx, "scratch:latest"); err != nil {
			t.Fatal(err)
		}
		if err := h.Delete(ctx, "scratch:latest"); !errors.Is(err, llm.ErrModelNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
		var steps int
		err := h.Pull(ctx, "nyx-no-such-model-xyz:latest", func(llm.PullProgress) error { steps++; return nil })
		if !errors.Is(err, llm.ErrModelNotFound) && !errors.Is(err, llm.ErrUnavailable) {
			t.Fatalf("pull of a model that does not exist: %v", err)
		}
		if err == nil || err.Error() == "" {
			t.Fatal("no message")
		}
	})
	t.Run("server stopped", func(t *testing.T) {
		srv.Stop()
		defer srv.Restart(t)
		if err := h.Health(ctx); !errors.Is(err, llm.ErrUnavailable) {
			t.Fatalf("health with the server down: %v", err)
		}
		_, err := h.Chat(ctx, hi(ollamatest.ModelTinyEOS, 0), func(string) error { return nil })
		if !errors.Is(err, llm.ErrUnavailable) {
			t.Fatalf("chat with the server down: %v", err)
		}
		if _, err := h.Models(ctx); !errors.Is(err, llm.ErrUnavailable) {
			t.Fatalf("models with the server down: %v", err)
		}
	})
}

func TestPoolFailsOverToAHealthyHost(t *testing.T) {
	ctx := context.Background()
	down := ollamatest.Start(t)
	up := ollamatest.Start(t)
	down.Stop()
	hDown, hUp := newHost(t, down.URL(), 256), newHost(t, up.URL(), 256)
	u, err := ollama.Chat(ctx, []*ollama.Host{hDown, hUp}, hDown.URL(), hi(ollamatest.ModelTinyEOS, 0), func(string) error { return nil })
	if err != nil {
		t.Fatalf("failover: %v", err)
	}
	if u.Host != hUp.URL() {
		t.Fatalf("served by %s, want %s", u.Host, hUp.URL())
	}
	if hDown.Healthy() {
		t.Fatal("the failed host is still considered healthy")
	}

	c := ollama.NewChecker()
	c.Watch(hDown)
	c.Watch(hUp)
	c.CheckNow(ctx)
	route := ollama.Route([]*ollama.Host{hDown, hUp}, ollamatest.ModelTinyEOS, hDown.URL())
	if len(route) != 2 || route[0] != hUp {
		t.Fatalf("route after a check should put the healthy host first: %v", route)
	}
	// A name without a tag means ":latest", as it does to Ollama itself.
	if r := ollama.Route([]*ollama.Host{hUp}, strings.TrimSuffix(ollamatest.ModelTinyEOS, ":latest"), ""); len(r) != 1 || r[0] != hUp {
		t.Fatalf("the untagged name was not routed to the host that has it: %v", r)
	}
	if r := ollama.Route([]*ollama.Host{hUp}, "absent:latest", ""); len(r) != 0 {
		t.Fatalf("a healthy host without the model was routed: %v", r)
	}
	// Loaded beats merely present.
	other := newHost(t, up.URL()+"/", 256) // same server, separate Host
	c.Watch(other)
	c.CheckNow(ctx)
	if r := ollama.Route([]*ollama.Host{hDown, hUp}, ollamatest.ModelTinyEOS, ""); r[0] != hUp {
		t.Fatalf("loaded host not first: %v", r)
	}
}

func TestParseURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"127.0.0.1", "http://127.0.0.1:11434"},
		{"gpu.lan:8080", "http://gpu.lan:8080"},
		{"https://ollama.example.com", "https://ollama.example.com"},
		{"http://box:11434/", "http://box:11434"},
	}
	for _, c := range cases {
		u, err := ollama.ParseURL(c.in)
		if err != nil || u.String() != c.want {
			t.Errorf("ParseURL(%q) = %v, %v; want %s", c.in, u, err, c.want)
		}
	}
	for _, bad := range []string{"", "ftp://x", "file:///etc/passwd", "http://"} {
		if _, err := ollama.ParseURL(bad); !errors.Is(err, llm.ErrInvalid) {
			t.Errorf("ParseURL(%q) = %v, want invalid", bad, err)
		}
	}
}

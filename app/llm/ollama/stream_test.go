package ollama_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
)

// Edge cases of /api/chat's NDJSON stream that a real Ollama does not
// produce on demand, from a server speaking its wire format.
func TestChatStreamEdgeCases(t *testing.T) {
	long := strings.Repeat("é", 6000) // 12 KB: one chunk spans several reads
	chunk := func(s string) string {
		return fmt.Sprintf(`{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":%q},"done":false}`+"\n", s)
	}
	done := `{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":2}` + "\n"
	cases := []struct {
		name   string
		status int
		body   string
		want   string        // streamed text
		kind   llm.ErrorKind // "" for success
		errHas string
	}{
		{"a chunk longer than the read buffer", 200, chunk("a") + chunk(long) + done, "a" + long, "", ""},
		{"no newline after the last chunk", 200, chunk("x") + strings.TrimSuffix(done, "\n"), "x", "", ""},
		{"an error line mid-stream", 200, chunk("par") + `{"error":"model runner crashed"}` + "\n", "par", llm.KindBadResponse, "model runner crashed"},
		{"an oversized chunk", 200, chunk("ok") + chunk(strings.Repeat("z", 2<<20)), "ok", llm.KindBadResponse, "over"},
		{"a 401 with a sign-in URL", 401, `{"error":"unauthorized","signin_url":"https://ollama.com/connect"}` + "\n", "", llm.KindAuth, ""},
		{"a 500 that is not JSON", 500, "upstream exploded\n", "", llm.KindUnavailable, "HTTP 500"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/api/chat" || r.Header.Get("Content-Type") != "application/json" {
					http.Error(w, "unexpected request", 400)
					return
				}
				w.Header().Set("Content-Type", "application/x-ndjson")
				w.WriteHeader(c.status)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			h, err := ollama.NewHost(srv.URL, ollama.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			_, err = h.Chat(context.Background(), llm.ChatRequest{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}},
				Options: llm.Options{NumCtx: 512}}, func(s string) error { got.WriteString(s); return nil })
			if got.String() != c.want {
				t.Fatalf("streamed %d bytes %.40q, want %d bytes", got.Len(), got.String(), len(c.want))
			}
			var le *llm.Error
			switch {
			case c.kind == "" && err != nil:
				t.Fatalf("err = %v", err)
			case c.kind != "" && (!errors.As(err, &le) || le.Kind != c.kind || !strings.Contains(err.Error(), c.errHas)):
				t.Fatalf("err = %v, want kind %s containing %q", err, c.kind, c.errHas)
			case le != nil && strings.Contains(le.Message, "exploded"):
				t.Fatalf("a body that is not Ollama's error format reached the message: %q", le.Message)
			}
		})
	}
}

// Cancelling a stream hangs up at once, so Ollama stops generating: the
// server sees its request end while it still has chunks to send.
func TestCancelClosesTheConnection(t *testing.T) {
	hungUp := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for i := 0; ; i++ {
			fmt.Fprintf(w, `{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"t%d "},"done":false}`+"\n", i)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				close(hungUp)
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}))
	defer srv.Close()
	h, err := ollama.NewHost(srv.URL, ollama.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err = h.Chat(ctx, llm.ChatRequest{Model: "m", Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}, Options: llm.Options{NumCtx: 512}},
		func(string) error {
			if n++; n == 3 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, llm.ErrCancelled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	select {
	case <-hungUp:
	case <-time.After(2 * time.Second):
		t.Fatal("the server still streams 2 s after the cancel: the connection was not closed")
	}
}

package ollama_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

// TestHostGoingDownMidReplyIsUnavailable: a server that stops while it is
// streaming a reply is a host that went away (unavailable), not a server
// that "does not speak Ollama's API" (bad_response).
func TestHostGoingDownMidReplyIsUnavailable(t *testing.T) {
	srv := ollamatest.Start(t)
	h := newHost(t, srv.URL(), 256)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	n := 0
	stopped := make(chan struct{})
	_, err := h.Chat(ctx, hi(ollamatest.ModelTiny, 100000), func(string) error {
		if n++; n == 3 {
			go func() { srv.Stop(); close(stopped) }()
		}
		return nil
	})
	<-stopped
	if n < 3 || !errors.Is(err, llm.ErrUnavailable) {
		t.Fatalf("err = %v (kind %s) after %d deltas, want unavailable", err, llm.KindOf(err), n)
	}
}

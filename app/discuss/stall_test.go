package discuss_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
)

// A provider that keeps the connection open and stops sending (a real
// Ollama behind a proxy that stops forwarding) used to leave the reply
// streaming, and the discussion refusing every message with
// turn_running, until someone pressed Stop. Now the idle bound ends it:
// status error with code provider_stalled, the text kept, the streamed
// tokens charged, and the discussion free for the next message.
func TestStalledProviderEndsTheReply(t *testing.T) {
	srv := ollamatest.Start(t)
	proxy := ollamatest.NewStallProxy(t, strings.TrimPrefix(srv.URL(), "http://"))
	f := newOllamaFixtureAt(t, proxy.URL(), meter.Stall{FirstToken: time.Minute, Idle: 500 * time.Millisecond})
	start := time.Now()
	reply := f.postAndCut(t, proxy.Stall)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the stalled turn took %v to end, want about the 500ms idle bound after the stall", d)
	}
	if reply.Status != store.StatusError || !strings.Contains(reply.Error, "sent nothing for 500ms") {
		t.Fatalf("stalled reply: status %s, error %q; want error naming the 500ms bound", reply.Status, reply.Error)
	}
	if len(reply.Content) == 0 {
		t.Errorf("the stalled reply lost its streamed text")
	}
	var u struct {
		CompletionTokens int    `json:"completion_tokens"`
		Estimated        bool   `json:"estimated"`
		ErrorCode        string `json:"error_code"`
	}
	if err := json.Unmarshal(reply.Usage, &u); err != nil {
		t.Fatal(err)
	}
	if u.ErrorCode != "provider_stalled" || !u.Estimated || u.CompletionTokens < 50 {
		t.Errorf("usage = %s; want error_code provider_stalled, estimated, >= 50 completion tokens", reply.Usage)
	}
	s, err := f.budgets.Get(context.Background(), f.tenantID, "u1")
	if err != nil || s.Usage.UserDay < 50 {
		t.Errorf("daily usage %+v, %v; want the streamed tokens charged", s.Usage, err)
	}
	if f.pub.last() == "running" {
		t.Errorf("turn announced %v, want its end announced", f.pub.turns)
	}
	// The discussion is free: the next message starts a turn (no 409).
	if _, _, err := f.eng.Post(context.Background(), f.d, "u1", "Again?"); err != nil {
		t.Fatalf("post after the stall: %v", err)
	}
}

// A provider that never sends a first token is cut at the first-token
// bound, and nothing is charged since nothing streamed.
func TestProviderWithoutFirstTokenEndsTheReply(t *testing.T) {
	srv := ollamatest.Start(t)
	proxy := ollamatest.NewStallProxy(t, strings.TrimPrefix(srv.URL(), "http://"))
	proxy.Stall()
	f := newOllamaFixtureAt(t, proxy.URL(), meter.Stall{FirstToken: 700 * time.Millisecond, Idle: time.Minute})
	if _, _, err := f.eng.Post(context.Background(), f.d, "u1", "Hello?"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for f.eng.Running(f.tenantID, f.d.ID) != "" {
		if time.Now().After(deadline) {
			t.Fatal("a turn whose provider never answered is still running 15s later")
		}
		time.Sleep(20 * time.Millisecond)
	}
	msgs, err := f.st.ListMessages(context.Background(), f.tenantID, f.d.ID, 0, 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("messages = %+v, %v", msgs, err)
	}
	reply := msgs[1]
	if reply.Status != store.StatusError || !strings.Contains(reply.Error, "no first token") || !strings.Contains(string(reply.Usage), `"error_code":"provider_stalled"`) {
		t.Fatalf("reply %s %q usage %s; want error provider_stalled, no first token", reply.Status, reply.Error, reply.Usage)
	}
	if s, _ := f.budgets.Get(context.Background(), f.tenantID, "u1"); s.Usage.UserDay != 0 {
		t.Errorf("daily usage %d, want nothing charged for a reply that streamed nothing", s.Usage.UserDay)
	}
}

// last is the last turn status announced.
func (d *deltaCounter) last() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.turns) == 0 {
		return ""
	}
	return d.turns[len(d.turns)-1]
}

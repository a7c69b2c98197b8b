package discuss_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func TestMain(m *testing.M) { os.Exit(ollamatest.Run(m)) }

// hostChatter answers every persona from one real Ollama host.
type hostChatter struct{ h *ollama.Host }

func (c hostChatter) Chat(ctx context.Context, _ string, _ store.Persona, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	return c.h.Chat(ctx, req, onDelta)
}

// deltaCounter is a Publisher that signals once n deltas were published.
type deltaCounter struct {
	mu      sync.Mutex
	n, seen int
	reached chan struct{}
	turns   []string
}

func (d *deltaCounter) Publish(_, typ string, data any) error {
	if typ == "turn" {
		d.mu.Lock()
		d.turns = append(d.turns, data.(map[string]string)["status"])
		d.mu.Unlock()
	}
	return nil
}

func (d *deltaCounter) PublishDelta(_, _, _ string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen++; d.seen == d.n {
		close(d.reached)
	}
}

func (d *deltaCounter) Flush(string) {}

// ollamaFixture is an engine over a real Ollama whose one persona runs
// ModelTiny, which generates until num_predict (here far away), with
// budgets that have room: the reservation is held and released as in
// production.
type ollamaFixture struct {
	st       store.Store
	budgets  *budget.Budgets
	pub      *deltaCounter
	eng      *discuss.Engine
	tenantID string
	d        store.Discussion
}

func newOllamaFixture(t *testing.T, srv *ollamatest.Server) *ollamaFixture {
	t.Helper()
	return newOllamaFixtureAt(t, srv.URL(), meter.Stall{})
}

// newOllamaFixtureAt is newOllamaFixture on the Ollama at url (a proxy in
// front of one), with the meter's stall bounds.
func newOllamaFixtureAt(t *testing.T, url string, stall meter.Stall) *ollamaFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	tn, err := st.CreateTenant(ctx, "acme", "Acme", "u1")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.CreatePersona(ctx, store.Persona{TenantID: tn.ID, Name: "Long", ProviderID: "local-ollama", Model: ollamatest.ModelTiny,
		SystemPrompt: "You are Long.", Options: json.RawMessage(`{"max_tokens":100000,"num_ctx":512}`)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDiscussion(ctx, store.Discussion{TenantID: tn.ID, Title: "t", Mode: store.ModeSingle, PersonaIDs: []string{p.ID}, MaxRounds: 3, Threshold: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	h, err := ollama.NewHost(url, ollama.Options{NumCtxMax: 512})
	if err != nil {
		t.Fatal(err)
	}
	f := &ollamaFixture{st: st, tenantID: tn.ID, d: *d, budgets: budget.New(st, budget.Limits{UserDaily: 1 << 40}),
		pub: &deltaCounter{n: 50, reached: make(chan struct{})}}
	m := meter.New(hostChatter{h}, f.budgets)
	m.Stall = stall
	f.eng = discuss.New(st, m, f.pub, discuss.Options{FlushEvery: 20 * time.Millisecond})
	t.Cleanup(func() { f.eng.Shutdown(time.Second) })
	return f
}

// postAndCut posts a message, waits for 50 streamed chunks, cuts the reply
// with cut, and returns the reply once the turn ended.
func (f *ollamaFixture) postAndCut(t *testing.T, cut func()) store.Message {
	t.Helper()
	if _, _, err := f.eng.Post(context.Background(), f.d, "u1", "Talk for a long time."); err != nil {
		t.Fatal(err)
	}
	select {
	case <-f.pub.reached:
	case <-time.After(90 * time.Second):
		t.Fatal("the reply did not stream 50 chunks")
	}
	cut()
	deadline := time.Now().Add(30 * time.Second)
	for f.eng.Running(f.tenantID, f.d.ID) != "" {
		if time.Now().After(deadline) {
			t.Fatal("turn did not end")
		}
		time.Sleep(10 * time.Millisecond)
	}
	msgs, err := f.st.ListMessages(context.Background(), f.tenantID, f.d.ID, 0, 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("messages = %+v, %v", msgs, err)
	}
	return msgs[1]
}

// A reply cut before Ollama's final chunk (which carries the counts) is
// charged what it streamed, and its usage says the counts are estimated.
func TestCutRepliesAreChargedWhatTheyStreamed(t *testing.T) {
	for _, c := range []struct {
		name, status string
		cut          func(f *ollamaFixture, srv *ollamatest.Server)
	}{
		{"stopped", store.StatusStopped, func(f *ollamaFixture, _ *ollamatest.Server) { f.eng.Stop(f.tenantID, f.d.ID) }},
		{"interrupted", store.StatusInterrupted, func(f *ollamaFixture, _ *ollamatest.Server) { f.eng.Shutdown(10 * time.Millisecond) }},
		{"provider error", store.StatusError, func(_ *ollamaFixture, srv *ollamatest.Server) { srv.Stop() }},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := ollamatest.Start(t)
			f := newOllamaFixture(t, srv)
			reply := f.postAndCut(t, func() { c.cut(f, srv) })
			if reply.Status != c.status {
				t.Fatalf("reply status = %s (%s), want %s", reply.Status, reply.Error, c.status)
			}
			var u struct {
				PromptTokens     int    `json:"prompt_tokens"`
				CompletionTokens int    `json:"completion_tokens"`
				Estimated        bool   `json:"estimated"`
				Host             string `json:"host"`
			}
			if err := json.Unmarshal(reply.Usage, &u); err != nil {
				t.Fatal(err)
			}
			if !u.Estimated || u.CompletionTokens < 50 || u.PromptTokens == 0 || u.Host == "" {
				t.Fatalf("usage of the cut reply = %s, want estimated with >= 50 completion tokens and the host", reply.Usage)
			}
			s, err := f.budgets.Get(context.Background(), f.tenantID, "u1")
			if err != nil {
				t.Fatal(err)
			}
			// The reservation was released: the day holds exactly the charge.
			want := int64(u.PromptTokens + u.CompletionTokens)
			if s.Usage.UserDay != want || s.Usage.TenantDay != want {
				t.Fatalf("daily usage = user %d, tenant %d; want the reply's %d tokens", s.Usage.UserDay, s.Usage.TenantDay, want)
			}
		})
	}
}

package discuss_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// script is a deterministic Chatter: each persona (by name) replies with
// the next of its replies, in chunks, waiting step between chunks; the
// judge prompt gets judge.
type script struct {
	mu       sync.Mutex
	replies  map[string][]string
	calls    map[string]int
	step     time.Duration
	steps    map[string]time.Duration // per persona, overrides step
	judge    string
	fail     map[string]error
	inFlight atomic.Int32
	maxSeen  atomic.Int32
	requests []llm.ChatRequest
}

func (s *script) Chat(ctx context.Context, _ string, p store.Persona, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxSeen.Load()
		if n <= m || s.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	last := req.Messages[len(req.Messages)-1].Content
	reply := s.judge
	if !strings.Contains(last, "Reply with JSON only") {
		rs := s.replies[p.Name]
		i := s.calls[p.Name]
		s.calls[p.Name]++
		reply = rs[min(i, len(rs)-1)]
	}
	err := s.fail[p.Name]
	step := s.step
	if d, ok := s.steps[p.Name]; ok {
		step = d
	}
	s.mu.Unlock()
	if err != nil {
		return llm.Usage{}, err
	}
	start := time.Now()
	for i, w := range strings.SplitAfter(reply, " ") {
		if i > 0 && step > 0 {
			select {
			case <-ctx.Done():
				return llm.Usage{}, &llm.Error{Kind: llm.KindCancelled, Err: ctx.Err()}
			case <-time.After(step):
			}
		}
		if err := onDelta(w); err != nil {
			return llm.Usage{}, err
		}
	}
	return llm.Usage{PromptTokens: 7, CompletionTokens: len(strings.Fields(reply)), TimeToFirstToken: time.Millisecond,
		Total: time.Since(start), DoneReason: "stop"}, nil
}

// recorder is a Publisher that keeps every event.
type recorder struct {
	mu     sync.Mutex
	events []string
	deltas map[string]string
}

func (r *recorder) Publish(_, typ string, data any) error {
	b, _ := json.Marshal(data)
	r.mu.Lock()
	r.events = append(r.events, typ+" "+string(b))
	r.mu.Unlock()
	return nil
}

func (r *recorder) PublishDelta(_, key, text string) {
	r.mu.Lock()
	r.deltas[key] += text
	r.mu.Unlock()
}

func (r *recorder) Flush(string) {}

func (r *recorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.events[len(r.events)-1]
}

type fixture struct {
	st       store.Store
	tenantID string
	personas map[string]store.Persona
	chat     *script
	pub      *recorder
	eng      *discuss.Engine
}

func newFixture(t testing.TB, names ...string) *fixture {
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
	f := &fixture{st: st, tenantID: tn.ID, personas: map[string]store.Persona{},
		chat: &script{replies: map[string][]string{}, calls: map[string]int{}, fail: map[string]error{}, steps: map[string]time.Duration{}},
		pub:  &recorder{deltas: map[string]string{}}}
	for _, n := range names {
		p, err := st.CreatePersona(ctx, store.Persona{TenantID: tn.ID, Name: n, ProviderID: "local-ollama", Model: "m", SystemPrompt: "You are " + n + "."})
		if err != nil {
			t.Fatal(err)
		}
		f.personas[n] = *p
	}
	f.eng = discuss.New(st, &meter.Meter{Chat: f.chat}, f.pub, discuss.Options{FlushEvery: 10 * time.Millisecond})
	t.Cleanup(func() { f.eng.Shutdown(time.Second) })
	return f
}

func (f *fixture) discussion(t testing.TB, mode string, names ...string) store.Discussion {
	t.Helper()
	var ids []string
	for _, n := range names {
		ids = append(ids, f.personas[n].ID)
	}
	d, err := f.st.CreateDiscussion(context.Background(), store.Discussion{TenantID: f.tenantID, Title: "t", Mode: mode,
		PersonaIDs: ids, MaxRounds: 3, Threshold: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	return *d
}

// wait waits for the discussion's turn to end and returns its messages.
func (f *fixture) wait(t *testing.T, d store.Discussion) []store.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.eng.Running(f.tenantID, d.ID) != "" {
		if time.Now().After(deadline) {
			t.Fatal("turn did not end")
		}
		time.Sleep(5 * time.Millisecond)
	}
	msgs, err := f.st.ListMessages(context.Background(), f.tenantID, d.ID, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestSingleModeStreamsAndStores(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{"Hello there, friend."}
	d := f.discussion(t, store.ModeSingle, "Ada")
	turnID, user, err := f.eng.Post(context.Background(), d, "u1", "Hi!")
	if err != nil || turnID == "" || user.Role != "user" || user.Content != "Hi!" {
		t.Fatalf("Post = %q %+v %v", turnID, user, err)
	}
	msgs := f.wait(t, d)
	if len(msgs) != 2 {
		t.Fatalf("messages = %+v", msgs)
	}
	a := msgs[1]
	var u map[string]any
	json.Unmarshal(a.Usage, &u)
	if a.Role != "assistant" || a.Status != store.StatusDone || a.Content != "Hello there, friend." || a.PersonaID != f.personas["Ada"].ID ||
		a.TurnID != turnID || a.Model != "m" || u["prompt_tokens"] != 7.0 || u["completion_tokens"] != 3.0 {
		t.Fatalf("reply = %+v usage %v", a, u)
	}
	f.pub.mu.Lock()
	streamed := f.pub.deltas[a.ID]
	f.pub.mu.Unlock()
	if streamed != "Hello there, friend." {
		t.Fatalf("streamed deltas = %q", streamed)
	}
	req := f.chat.requests[0]
	if req.Messages[0].Role != llm.RoleSystem || req.Messages[len(req.Messages)-1].Content != "Hi!" {
		t.Fatalf("request = %+v", req.Messages)
	}
	// The end of the turn is announced after the turn frees the discussion.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(f.pub.last(), `"status":"done"`) {
		if time.Now().After(deadline) {
			t.Fatalf("last event = %s", f.pub.last())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestParallelModeRunsPersonasAtOnce(t *testing.T) {
	f := newFixture(t, "Ada", "Bob", "Cy")
	for _, n := range []string{"Ada", "Bob", "Cy"} {
		f.chat.replies[n] = []string{n + " says one two three"}
	}
	f.chat.step = 20 * time.Millisecond
	f.chat.fail["Cy"] = &llm.Error{Kind: llm.KindUnavailable, Message: "host down"}
	d := f.discussion(t, store.ModeParallel, "Ada", "Bob", "Cy")
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Go"); err != nil {
		t.Fatal(err)
	}
	msgs := f.wait(t, d)
	if got := f.chat.maxSeen.Load(); got < 2 {
		t.Fatalf("at most %d personas streamed at once; parallel mode must overlap them", got)
	}
	status := map[string]string{}
	for _, m := range msgs[1:] {
		for n, p := range f.personas {
			if p.ID == m.PersonaID {
				status[n] = m.Status
				if m.Status == store.StatusError && !strings.Contains(m.Error, "host down") {
					t.Errorf("error text = %q", m.Error)
				}
			}
		}
	}
	if status["Ada"] != store.StatusDone || status["Bob"] != store.StatusDone || status["Cy"] != store.StatusError {
		t.Fatalf("statuses = %v: a failing persona must end in error while the others finish", status)
	}
}

func TestStopKeepsPartialText(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{strings.Repeat("word ", 500)}
	f.chat.step = 5 * time.Millisecond
	d := f.discussion(t, store.ModeSingle, "Ada")
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Talk"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Again"); !errors.Is(err, discuss.ErrTurnRunning) {
		t.Fatalf("second post during a turn: %v", err)
	}
	// The text is flushed to the store while streaming.
	deadline := time.Now().Add(5 * time.Second)
	for {
		msgs, _ := f.st.ListMessages(context.Background(), f.tenantID, d.ID, 0, 10)
		if len(msgs) == 2 && msgs[1].Status == store.StatusStreaming && len(msgs[1].Content) > 20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no partial text stored while streaming: %+v", msgs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !f.eng.Stop(f.tenantID, d.ID) {
		t.Fatal("Stop found no running turn")
	}
	msgs := f.wait(t, d)
	a := msgs[1]
	if a.Status != store.StatusStopped || a.Content == "" || len(a.Content) >= 2500 {
		t.Fatalf("stopped message = %s, %d bytes", a.Status, len(a.Content))
	}
	if f.eng.Stop(f.tenantID, d.ID) {
		t.Fatal("Stop on a finished turn reported stopping something")
	}
}

func TestShutdownMarksInterrupted(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{strings.Repeat("word ", 500)}
	f.chat.step = 5 * time.Millisecond
	d := f.discussion(t, store.ModeSingle, "Ada")
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Talk"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	f.eng.Shutdown(10 * time.Millisecond)
	msgs, _ := f.st.ListMessages(context.Background(), f.tenantID, d.ID, 0, 10)
	if len(msgs) != 2 || msgs[1].Status != store.StatusInterrupted || msgs[1].Content == "" {
		t.Fatalf("after shutdown: %+v", msgs)
	}
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Hi"); !errors.Is(err, discuss.ErrShuttingDown) {
		t.Fatalf("post after shutdown: %v", err)
	}
}

func TestRecoverMarksCrashedStreams(t *testing.T) {
	f := newFixture(t, "Ada")
	d := f.discussion(t, store.ModeSingle, "Ada")
	ctx := context.Background()
	if _, err := f.st.AddMessage(ctx, store.Message{TenantID: f.tenantID, DiscussionID: d.ID, Role: "assistant", Content: "half a th", Status: store.StatusStreaming}); err != nil {
		t.Fatal(err)
	}
	n, err := f.eng.Recover(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Recover = %d, %v", n, err)
	}
	msgs, _ := f.st.ListMessages(ctx, f.tenantID, d.ID, 0, 10)
	if msgs[0].Status != store.StatusInterrupted || msgs[0].Content != "half a th" {
		t.Fatalf("recovered = %+v", msgs[0])
	}
}

func TestConsensusRoundsUntilAgreement(t *testing.T) {
	f := newFixture(t, "Ada", "Bob")
	f.chat.replies["Ada"] = []string{"cats are the best pets", "dogs are loyal companions and the best pets", "Final: dogs. Dissent: none"}
	f.chat.replies["Bob"] = []string{"dogs are loyal companions", "dogs are loyal companions and the best pets"}
	f.chat.judge = "I cannot decide" // not JSON: the lexical measure decides
	d := f.discussion(t, store.ModeConsensus, "Ada", "Bob")
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "Which pet?"); err != nil {
		t.Fatal(err)
	}
	msgs := f.wait(t, d)
	rounds, _ := f.st.ListRounds(context.Background(), f.tenantID, d.ID)
	if len(rounds) != 2 || rounds[0].Agreement >= 0.8 || rounds[1].Agreement < 0.8 || rounds[0].Method != "lexical" || rounds[0].Explanation == "" {
		t.Fatalf("rounds = %+v", rounds)
	}
	last := msgs[len(msgs)-1]
	if last.Role != "moderator" || last.Status != store.StatusDone || last.Round != 2 {
		t.Fatalf("last message = %+v", last)
	}
	round2 := 0
	for _, m := range msgs {
		if m.Role == "assistant" && m.Round == 2 {
			round2++
		}
	}
	if round2 != 2 {
		t.Fatalf("%d revised answers in round 2, want 2", round2)
	}
	// In round 2 each persona saw the other's answer, anonymised.
	for _, r := range f.chat.requests {
		last := r.Messages[len(r.Messages)-1].Content
		if strings.Contains(last, "Other participants") && (strings.Contains(last, "Ada") || strings.Contains(last, "Bob")) {
			t.Fatalf("revision prompt names a persona: %s", last)
		}
	}
}

func TestConsensusStopsAtTheRoundCapAndTrustsTheJudge(t *testing.T) {
	f := newFixture(t, "Ada", "Bob")
	f.chat.replies["Ada"] = []string{"alpha"}
	f.chat.replies["Bob"] = []string{"omega"}
	f.chat.judge = "```json\n{\"agreement\": 0.25, \"explanation\": \"they pick different letters\"}\n```"
	d := f.discussion(t, store.ModeConsensus, "Ada", "Bob")
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "First letter?"); err != nil {
		t.Fatal(err)
	}
	msgs := f.wait(t, d)
	rounds, _ := f.st.ListRounds(context.Background(), f.tenantID, d.ID)
	if len(rounds) != 3 || rounds[2].Method != "judge" || rounds[2].Agreement != 0.25 || rounds[2].Explanation != "they pick different letters" {
		t.Fatalf("rounds = %+v", rounds)
	}
	if msgs[len(msgs)-1].Role != "moderator" {
		t.Fatal("no synthesis after the round cap")
	}
}

func TestHistoryIsTrimmedToTheWindow(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p, _ := f.st.CreatePersona(ctx, store.Persona{TenantID: f.tenantID, Name: "Small", ProviderID: "x", Model: "m",
		SystemPrompt: "Keep me.", Options: json.RawMessage(`{"num_ctx":300,"max_tokens":100}`)})
	f.personas["Small"] = *p
	f.chat.replies["Small"] = []string{"ok"}
	d := f.discussion(t, store.ModeSingle, "Small")
	for i := 0; i < 3; i++ {
		if _, _, err := f.eng.Post(ctx, d, "u1", strings.Repeat("long message ", 40)); err != nil {
			t.Fatal(err)
		}
		f.wait(t, d)
	}
	msgs := f.wait(t, d)
	last := msgs[len(msgs)-1]
	var meta map[string]any
	json.Unmarshal(last.Metadata, &meta)
	if meta["trimmed"].(float64) < 1 {
		t.Fatalf("metadata = %s: the long history should have been trimmed", last.Metadata)
	}
	req := f.chat.requests[len(f.chat.requests)-1]
	if req.Messages[0].Content != "Keep me." {
		t.Fatal("the system prompt was trimmed")
	}
}

func TestRegenerateAnswersTheLastMessageAgain(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{"first answer", "second answer"}
	d := f.discussion(t, store.ModeSingle, "Ada")
	if _, err := f.eng.Regenerate(context.Background(), d, "u1"); !errors.Is(err, discuss.ErrNothingToRegenerate) {
		t.Fatalf("regenerate with no message: %v", err)
	}
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "question"); err != nil {
		t.Fatal(err)
	}
	f.wait(t, d)
	turn, err := f.eng.Regenerate(context.Background(), d, "u1")
	if err != nil || turn == "" {
		t.Fatalf("Regenerate = %q, %v", turn, err)
	}
	msgs := f.wait(t, d)
	if len(msgs) != 3 || msgs[2].Content != "second answer" || msgs[2].TurnID != turn || msgs[2].Status != store.StatusDone {
		t.Fatalf("messages = %+v", msgs)
	}
	last := f.chat.requests[len(f.chat.requests)-1]
	for _, m := range last.Messages {
		if strings.Contains(m.Content, "first answer") {
			t.Fatal("the regenerated reply saw the reply it replaces")
		}
	}
}

// slowStore holds the posted (user) message's write until release is
// closed, and then fails it with fail if set.
type slowStore struct {
	store.Store
	release chan struct{}
	fail    error
}

func (s *slowStore) AddMessage(ctx context.Context, m store.Message) (*store.Message, error) {
	if m.Role == "user" {
		<-s.release
		if s.fail != nil {
			return nil, s.fail
		}
	}
	return s.Store.AddMessage(ctx, m)
}

// The provider is asked while the posted message is still being written,
// yet subscribers see the message, then the reply, then its text.
func TestTurnAsksTheProviderWhileTheMessageIsWritten(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{"Quick answer."}
	slow := &slowStore{Store: f.st, release: make(chan struct{})}
	eng := discuss.New(slow, &meter.Meter{Chat: f.chat}, f.pub, discuss.Options{FlushEvery: 10 * time.Millisecond})
	defer eng.Shutdown(time.Second)
	d := f.discussion(t, store.ModeSingle, "Ada")
	posted := make(chan error, 1)
	go func() { _, _, err := eng.Post(context.Background(), d, "u1", "Hi!"); posted <- err }()
	deadline := time.Now().Add(5 * time.Second)
	for f.chat.maxSeen.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the provider was not asked while the message was being written")
		}
		time.Sleep(time.Millisecond)
	}
	f.pub.mu.Lock()
	early := len(f.pub.events) + len(f.pub.deltas)
	f.pub.mu.Unlock()
	if early != 0 {
		t.Fatalf("events before the message was stored: %v %v", f.pub.events, f.pub.deltas)
	}
	close(slow.release)
	if err := <-posted; err != nil {
		t.Fatal(err)
	}
	for eng.Running(f.tenantID, d.ID) != "" {
		time.Sleep(5 * time.Millisecond)
	}
	msgs, _ := f.st.ListMessages(context.Background(), f.tenantID, d.ID, 0, 10)
	if len(msgs) != 2 || msgs[0].Role != "user" || msgs[1].Content != "Quick answer." || msgs[1].Seq <= msgs[0].Seq {
		t.Fatalf("messages = %+v", msgs)
	}
	f.pub.mu.Lock()
	defer f.pub.mu.Unlock()
	var order []string
	for _, ev := range f.pub.events {
		if strings.HasPrefix(ev, "message ") {
			var m discuss.MessageView
			json.Unmarshal([]byte(strings.TrimPrefix(ev, "message ")), &m)
			order = append(order, m.Role+":"+m.Status)
		}
	}
	if strings.Join(order, " ") != "user:done assistant:streaming assistant:done" {
		t.Fatalf("message events = %v", order)
	}
}

// A posted message that cannot be stored starts nothing: Post fails, no
// reply is stored or shown, and the discussion takes the next message.
func TestUnstoredMessageLeavesNoReply(t *testing.T) {
	f := newFixture(t, "Ada")
	f.chat.replies["Ada"] = []string{"never shown"}
	f.chat.step = 20 * time.Millisecond
	slow := &slowStore{Store: f.st, release: make(chan struct{}), fail: errors.New("disk full")}
	close(slow.release)
	eng := discuss.New(slow, &meter.Meter{Chat: f.chat}, f.pub, discuss.Options{FlushEvery: 10 * time.Millisecond})
	defer eng.Shutdown(time.Second)
	d := f.discussion(t, store.ModeSingle, "Ada")
	if _, _, err := eng.Post(context.Background(), d, "u1", "Hi!"); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Post = %v", err)
	}
	if id := eng.Running(f.tenantID, d.ID); id != "" {
		t.Fatalf("turn %s still running after a failed post", id)
	}
	msgs, _ := f.st.ListMessages(context.Background(), f.tenantID, d.ID, 0, 10)
	f.pub.mu.Lock()
	events, deltas := len(f.pub.events), len(f.pub.deltas)
	f.pub.mu.Unlock()
	if len(msgs) != 0 || events != 0 || deltas != 0 {
		t.Fatalf("after a failed post: messages %+v, %d events, %d deltas", msgs, events, deltas)
	}
	slow.fail = nil
	if _, _, err := eng.Post(context.Background(), d, "u1", "Again"); err != nil {
		t.Fatalf("next post: %v", err)
	}
}

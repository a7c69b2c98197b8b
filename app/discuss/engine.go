// Package discuss is the discussion engine: a user's message starts a turn
// that runs on the server, detached from the request, in which one persona
// answers (single), every persona answers at once (parallel), or the
// personas debate in rounds until they agree and a moderator writes the
// synthesis (consensus). Replies stream to subscribers through a Publisher
// and are written to the store while they stream, so nothing is lost when
// a client leaves or the server stops.
package discuss

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
)

// Publisher fans events out to subscribers of a topic (realtime.Hub).
type Publisher interface {
	Publish(topic, typ string, data any) error
	PublishDelta(topic, key, text string)
	Flush(topic string)
}

// Errors of Post and Stop.
var (
	// ErrTurnRunning means the discussion already has a turn in progress.
	ErrTurnRunning = errors.New("a turn is already running")
	// ErrBusy means every worker is taken.
	ErrBusy = errors.New("the server is busy")
	// ErrShuttingDown means the engine no longer starts turns.
	ErrShuttingDown = errors.New("the server is shutting down")
	// ErrNothingToRegenerate means the discussion has no user message yet.
	ErrNothingToRegenerate = errors.New("nothing to regenerate")
)

// Causes of a cancelled turn, which decide the messages' final status.
var (
	errStopped     = errors.New("stopped")
	errInterrupted = errors.New("interrupted")
	// errNotSaved ends a turn whose posted message could not be stored.
	errNotSaved = errors.New("the message was not stored")
)

// Options tune the engine.
type Options struct {
	Workers    int           // turns running at once (default 128; a turn mostly waits on its provider)
	FlushEvery time.Duration // how often streamed text is written (default 500ms)
	// RequestTimeout bounds each store call Post and Regenerate make while
	// their client waits (the server's api.store_timeout; 0: unbounded).
	// The turn itself runs on the unbounded store.
	RequestTimeout time.Duration
}

// Engine runs turns. It is safe for concurrent use.
type Engine struct {
	st    store.Store
	req   store.Store  // st bounded by RequestTimeout, for calls a client waits on
	meter *meter.Meter // every model call: budget reserve, call, charge
	pub   Publisher
	opts  Options
	sem   chan struct{}

	mu      sync.Mutex
	running map[string]*turn // tenant/discussion -> turn
	closed  bool
	wg      sync.WaitGroup
}

type turn struct {
	id       string
	tenantID string
	authorID string
	res      *meter.Reservation // the budget held for the turn; its calls are charged through it
	release  func()             // res.Release
	regen    bool               // answering the last user message again
	d        store.Discussion
	cancel   context.CancelCauseFunc

	// The posted message, known before it is stored: the turn reads its
	// personas and starts their providers while Post writes it, and only
	// the replies' own rows wait for it (nil for a regeneration).
	user      *store.Message
	userSaved chan struct{} // closed once Post stored the message or failed to
	userErr   error         // why it could not be stored; read after userSaved
	done      chan struct{} // closed when run returns
}

// saved waits until the posted message is stored and reports whether it
// was; a regeneration has nothing to wait for.
func (t *turn) saved() bool {
	if t.userSaved == nil {
		return true
	}
	<-t.userSaved
	return t.userErr == nil
}

// New returns an engine whose model calls all go through m.
func New(st store.Store, m *meter.Meter, pub Publisher, opts Options) *Engine {
	if opts.Workers <= 0 {
		opts.Workers = 128
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = 500 * time.Millisecond
	}
	return &Engine{st: st, req: store.WithTimeout(st, opts.RequestTimeout), meter: m, pub: pub, opts: opts,
		sem: make(chan struct{}, opts.Workers), running: map[string]*turn{}}
}

// Topic is the realtime topic of a discussion.
func Topic(tenantID, discussionID string) string {
	return "t:" + tenantID + ":discussion:" + discussionID
}

// ActivityTopic is the realtime topic of a tenant's activity: which
// discussions have a turn running, for live status in lists.
func ActivityTopic(tenantID string) string { return "t:" + tenantID + ":activity" }

// announce tells the discussion and the tenant's activity topic about a turn.
func (e *Engine) announce(t *turn, status string) {
	ev := map[string]string{"discussion_id": t.d.ID, "turn_id": t.id, "status": status}
	e.pub.Publish(Topic(t.tenantID, t.d.ID), "turn", ev) //nolint:errcheck // a hub never fails a publish that matters here
	e.pub.Publish(ActivityTopic(t.tenantID), "turn", ev) //nolint:errcheck // as above
}

func key(tenantID, discussionID string) string { return tenantID + "/" + discussionID }

// Post stores the user's message and starts the turn that answers it. It
// returns at once; the turn runs until it finishes, is stopped, or the
// engine shuts down.
func (e *Engine) Post(ctx context.Context, d store.Discussion, authorID, content string) (string, *store.Message, error) {
	t, tctx, err := e.start(ctx, d, authorID)
	if err != nil {
		return "", nil, err
	}
	// The turn starts while the message is written, so the providers are
	// asked without waiting for the single writer; replies are stored and
	// shown only after the message (Seq order), and none if it fails.
	t.user = &store.Message{ID: store.NewID(), TenantID: d.TenantID, DiscussionID: d.ID, TurnID: t.id, Role: "user",
		AuthorID: authorID, Content: content, Status: store.StatusDone}
	t.userSaved = make(chan struct{})
	go e.run(tctx, t)
	msg, err := e.req.AddMessage(ctx, *t.user)
	if err != nil {
		// The turn ends without storing or asking anything (its replies
		// wait for the message, which is not there). It is waited for, so
		// the discussion takes the next message at once — but no longer than
		// the client's context allows: its own reads may be blocked by
		// whatever blocked this write.
		t.userErr = err
		t.cancel(errNotSaved)
		close(t.userSaved)
		select {
		case <-t.done:
		case <-ctx.Done():
		}
		return "", nil, err
	}
	e.publishMessage(t, msg)
	e.announce(t, "running")
	close(t.userSaved)
	return t.id, msg, nil
}

// Regenerate answers the discussion's last user message again: a new turn
// whose personas do not see the replies that message already got.
func (e *Engine) Regenerate(ctx context.Context, d store.Discussion, authorID string) (string, error) {
	history, err := e.req.ListMessages(ctx, d.TenantID, d.ID, 0, historyReadLimit)
	if err != nil {
		return "", err
	}
	if lastUser(history) == "" {
		return "", ErrNothingToRegenerate
	}
	t, tctx, err := e.start(ctx, d, authorID)
	if err != nil {
		return "", err
	}
	t.regen = true
	e.announce(t, "running")
	go e.run(tctx, t)
	return t.id, nil
}

// start reserves budget and a worker and registers the discussion's turn.
func (e *Engine) start(ctx context.Context, d store.Discussion, authorID string) (*turn, context.Context, error) {
	res, err := e.meter.Reserve(ctx, d.TenantID, authorID)
	if err != nil {
		return nil, nil, err
	}
	release := res.Release
	e.mu.Lock()
	defer e.mu.Unlock()
	switch {
	case e.closed:
		release()
		return nil, nil, ErrShuttingDown
	case e.running[key(d.TenantID, d.ID)] != nil:
		release()
		return nil, nil, ErrTurnRunning
	}
	select {
	case e.sem <- struct{}{}:
	default:
		release()
		return nil, nil, ErrBusy
	}
	tctx, cancel := context.WithCancelCause(context.Background())
	t := &turn{id: store.NewID(), tenantID: d.TenantID, authorID: authorID, d: d, cancel: cancel, res: res, release: release, done: make(chan struct{})}
	e.running[key(d.TenantID, d.ID)] = t
	e.wg.Add(1)
	return t, tctx, nil
}

// history is what a turn answers: the whole discussion, or for a
// regeneration everything up to and including the last user message.
func (e *Engine) history(t *turn) ([]store.Message, error) {
	msgs, err := e.st.ListMessages(context.Background(), t.tenantID, t.d.ID, 0, historyReadLimit)
	if err != nil {
		return nil, err
	}
	if t.user != nil {
		// Post may not have written it yet.
		if !slices.ContainsFunc(msgs, func(m store.Message) bool { return m.ID == t.user.ID }) {
			msgs = append(msgs, *t.user)
		}
		return msgs, nil
	}
	if !t.regen {
		return msgs, nil
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == "user" {
			return msgs[:i+1], nil
		}
	}
	return msgs, nil
}

// Running returns the id of the discussion's running turn, or "".
func (e *Engine) Running(tenantID, discussionID string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t := e.running[key(tenantID, discussionID)]; t != nil {
		return t.id
	}
	return ""
}

// Stop cancels the discussion's running turn; false when none runs.
func (e *Engine) Stop(tenantID, discussionID string) bool {
	e.mu.Lock()
	t := e.running[key(tenantID, discussionID)]
	e.mu.Unlock()
	if t == nil {
		return false
	}
	t.cancel(errStopped)
	return true
}

// Shutdown stops starting turns, lets running ones finish for up to the
// grace period, then cancels them; their messages end "interrupted".
func (e *Engine) Shutdown(grace time.Duration) {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	done := make(chan struct{})
	go func() { e.wg.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(grace):
	}
	e.mu.Lock()
	for _, t := range e.running {
		t.cancel(errInterrupted)
	}
	e.mu.Unlock()
	<-done
}

// Recover marks messages a crashed process left streaming as interrupted;
// run it at start, before serving.
func (e *Engine) Recover(ctx context.Context) (int, error) {
	ids, err := e.st.TenantIDs(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		n, err := e.st.InterruptStreaming(ctx, id)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func (e *Engine) finish(t *turn) {
	t.release()
	e.mu.Lock()
	delete(e.running, key(t.tenantID, t.d.ID))
	e.mu.Unlock()
	t.cancel(nil)
	<-e.sem
	e.wg.Done()
}

func (e *Engine) run(ctx context.Context, t *turn) {
	defer close(t.done)
	status := e.reply(ctx, t)
	// Free the discussion before announcing the end, so a client may post at once.
	e.finish(t)
	if t.saved() {
		e.announce(t, status)
	}
}

// reply has the personas answer and returns how the turn ended. When the
// personas or the history cannot be read, no persona is asked and the
// turn ends "error": answering without the conversation would be wrong.
func (e *Engine) reply(ctx context.Context, t *turn) string {
	personas, err := e.personas(t)
	if err != nil {
		slog.Error("nyx: read a discussion's personas", "tenant", t.tenantID, "discussion", t.d.ID, "error", err.Error())
		return store.StatusError
	}
	history, err := e.history(t)
	if err != nil {
		slog.Error("nyx: read a discussion's history", "tenant", t.tenantID, "discussion", t.d.ID, "error", err.Error())
		return store.StatusError
	}
	switch t.d.Mode {
	case store.ModeSingle:
		if len(personas) > 0 {
			personas = personas[:1]
		}
		e.parallel(ctx, t, personas, history)
	case store.ModeParallel:
		e.parallel(ctx, t, personas, history)
	case store.ModeConsensus:
		e.consensus(ctx, t, personas, history)
	}
	return finalStatus(ctx, nil)
}

// personas loads the discussion's personas; one that was deleted since is
// skipped (the API refuses such ids at creation), any other failure is
// returned.
func (e *Engine) personas(t *turn) ([]store.Persona, error) {
	var out []store.Persona
	for _, id := range t.d.PersonaIDs {
		p, err := e.st.GetPersona(context.Background(), t.tenantID, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			continue
		case err != nil:
			return nil, fmt.Errorf("persona %s: %w", id, err)
		}
		out = append(out, *p)
	}
	return out, nil
}

// parallel has every persona answer at once; wall time is the slowest.
func (e *Engine) parallel(ctx context.Context, t *turn, personas []store.Persona, history []store.Message) map[string]string {
	var mu sync.Mutex
	answers := map[string]string{}
	var wg sync.WaitGroup
	for _, p := range personas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text, ok := e.answer(ctx, t, p, "assistant", 1, conversation(p, history))
			if ok {
				mu.Lock()
				answers[p.ID] = text
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return answers
}

// finalStatus names how a stream ended.
func finalStatus(ctx context.Context, err error) string {
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errStopped):
		return store.StatusStopped
	case errors.Is(cause, errInterrupted):
		return store.StatusInterrupted
	case err != nil:
		return store.StatusError
	}
	return store.StatusDone
}

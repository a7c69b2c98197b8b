// Package meter is nyxCore's one metered path to a language model: reserve
// budget room, call the provider, count what it streamed, settle the
// budget with the real or an estimated usage, and report that usage.
// Discussions (app/discuss) and persona try-outs (app/server) call models
// only through it; the workflow steps and the gateway are to use it too,
// so every model call is charged the same way.
//
// # Settling
//
// A provider reports token counts only when its stream ends normally
// (Ollama sends them in its final chunk). When a reply ends without them
// — stopped by the user, interrupted by a shutdown, cut by a provider
// error or a stall, or a client hanging up — the meter charges an
// estimate instead, and marks the usage Estimated:
//
//   - completion tokens: max(chunks, bytes/4) of the streamed text (Ollama
//     sends about one token per chunk; cloud providers send several, and
//     about four bytes make a token in English text);
//   - prompt tokens: bytes/4 + 4 per request message (the estimate that
//     fits conversations to a window).
//
// # Stalls
//
// A provider that keeps its connection open and stops sending would hold
// a turn (and its discussion) forever. Stall bounds the wait for the first
// token and between chunks; past either, the call is cancelled and ends
// with an *llm.Error of kind llm.KindStalled (API code provider_stalled),
// keeping and charging what streamed.
//
// A reply that streamed nothing is charged nothing: the provider refused
// or never answered. Counts the provider did report are kept.
package meter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// Chatter streams a persona's reply in a tenant; the server's is
// registry.Personas, tests use real Ollama hosts or scripted ones.
//
// Contract: safe for concurrent use; onDelta is called in order from the
// calling goroutine; an error from onDelta stops generation and is
// returned.
type Chatter interface {
	Chat(ctx context.Context, tenantID string, p store.Persona, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error)
}

// Budget holds room before a call and charges usage after it;
// *budget.Budgets is the server's. Both methods are called concurrently.
type Budget interface {
	Reserve(ctx context.Context, tenantID, userID string) (release func(), err error)
	Charge(ctx context.Context, tenantID, userID string, tokens int64) error
}

// ErrCharge matches the error of a usage that could not be charged.
var ErrCharge = errors.New("meter: the usage could not be charged")

// Meter is the metered path. Its fields are set once; it is safe for
// concurrent use.
type Meter struct {
	Chat   Chatter
	Budget Budget       // nil: nothing is limited or charged
	Log    *slog.Logger // nil: slog.Default()
	Stall  Stall
}

// Stall bounds a call's silences; a zero field is no bound.
type Stall struct {
	FirstToken time.Duration // from the call to its first chunk (a cold model load included)
	Idle       time.Duration // between two chunks
}

// New returns a meter over chat charging budgets (nil: unlimited).
func New(chat Chatter, budgets *budget.Budgets) *Meter {
	m := &Meter{Chat: chat}
	if budgets != nil { // a nil *Budgets in the interface would not be nil
		m.Budget = budgets
	}
	return m
}

// Reservation is budget room held for one user's calls (a turn, a
// try-out): Chat may be called any number of times, concurrently, and
// Release once they ended.
type Reservation struct {
	m                *Meter
	tenantID, userID string
	release          func()
	once             sync.Once
}

// Reserve refuses when a budget of the tenant or the user is spent (an
// error matching budget.ErrExceeded, with the *budget.ExceededError) and
// otherwise holds budget.Reservation tokens until Release.
func (m *Meter) Reserve(ctx context.Context, tenantID, userID string) (*Reservation, error) {
	r := &Reservation{m: m, tenantID: tenantID, userID: userID, release: func() {}}
	if m.Budget == nil {
		return r, nil
	}
	release, err := m.Budget.Reserve(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	r.release = release
	return r, nil
}

// Release gives the held room back; later calls do nothing.
func (r *Reservation) Release() { r.once.Do(r.release) }

// Result is a settled call.
type Result struct {
	// Usage is the provider's, with the counts it did not report
	// estimated (see the package doc).
	Usage llm.Usage
	// Estimated is set when a count in Usage is an estimate.
	Estimated bool
	// Chunks is how many pieces of text the provider streamed.
	Chunks int
	// ChargeErr is why the usage could not be charged (it was logged);
	// the reply stands.
	ChargeErr error
}

// Tokens is what the call was charged (or failed to be).
func (r Result) Tokens() int64 { return int64(r.Usage.PromptTokens + r.Usage.CompletionTokens) }

// Chat streams persona p's reply to req through the meter's Chatter,
// passing each piece to onDelta, and charges its usage to the reserving
// user whatever the outcome. The error is the provider's (or onDelta's).
func (r *Reservation) Chat(ctx context.Context, p store.Persona, req llm.ChatRequest, onDelta func(string) error) (Result, error) {
	var chunks, bytes int
	w := r.m.watch(ctx)
	u, err := r.m.Chat.Chat(w.ctx, r.tenantID, p, req, func(text string) error {
		w.seen()
		chunks++
		bytes += len(text)
		return onDelta(text)
	})
	if w.stop() {
		err = llm.Errorf(llm.KindStalled, "", err, "the model sent nothing for %v%s", w.limit(chunks), map[bool]string{true: " (no first token)", false: ""}[chunks == 0])
		r.m.logger().Warn("nyx: model call stalled", "tenant", r.tenantID, "persona", p.ID, "provider", p.ProviderID, "model", p.Model,
			"chunks", chunks, "limit", w.limit(chunks).String())
	}
	res := settle(u, err, req, chunks, bytes)
	res.ChargeErr = r.charge(res)
	return res, err
}

// watchdog cancels a call whose provider goes silent for too long.
type watchdog struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	stall  Stall
	fired  atomic.Bool
}

// errStalled is the cause of a watchdog's cancel.
var errStalled = errors.New("meter: the provider stalled")

func (m *Meter) watch(ctx context.Context) *watchdog {
	w := &watchdog{stall: m.Stall}
	w.ctx, w.cancel = context.WithCancelCause(ctx)
	if first := w.stall.FirstToken; first > 0 {
		w.timer = time.AfterFunc(first, w.fire)
	}
	return w
}

func (w *watchdog) fire() {
	w.fired.Store(true)
	w.cancel(errStalled)
}

// seen restarts the silence bound at a chunk: from here on, Idle.
func (w *watchdog) seen() {
	switch {
	case w.stall.Idle > 0 && w.timer != nil:
		w.timer.Reset(w.stall.Idle)
	case w.stall.Idle > 0:
		w.timer = time.AfterFunc(w.stall.Idle, w.fire)
	case w.timer != nil:
		w.timer.Stop()
		w.timer = nil
	}
}

// stop ends the watch and reports whether it cut the call: only then, not
// when the caller's own context ended first.
func (w *watchdog) stop() bool {
	if w.timer != nil {
		w.timer.Stop()
	}
	w.cancel(nil)
	return w.fired.Load() && errors.Is(context.Cause(w.ctx), errStalled)
}

// limit is the bound that applied after chunks chunks.
func (w *watchdog) limit(chunks int) time.Duration {
	if chunks == 0 {
		return w.stall.FirstToken
	}
	return w.stall.Idle
}

// settle fills in the counts a stream did not report.
func settle(u llm.Usage, err error, req llm.ChatRequest, chunks, bytes int) Result {
	res := Result{Usage: u, Chunks: chunks}
	if chunks == 0 {
		return res
	}
	if streamed := max(chunks, bytes/4); u.CompletionTokens == 0 || (err != nil && u.CompletionTokens < streamed) {
		res.Usage.CompletionTokens, res.Estimated = streamed, true
	}
	if u.PromptTokens == 0 {
		res.Usage.PromptTokens, res.Estimated = PromptTokens(req.Messages), true
	}
	return res
}

// PromptTokens estimates the tokens of a request's messages: about four
// bytes each, plus four for a message's framing.
func PromptTokens(msgs []llm.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Content)/4 + 4
	}
	return n
}

// charge bills the result on a context of its own: a stopped or
// interrupted call is charged too.
func (r *Reservation) charge(res Result) error {
	if r.m.Budget == nil || res.Tokens() <= 0 {
		return nil
	}
	if err := r.m.Budget.Charge(context.Background(), r.tenantID, r.userID, res.Tokens()); err != nil {
		r.m.logger().Error("nyx: charge token usage", "tenant", r.tenantID, "user", r.userID, "tokens", res.Tokens(),
			"estimated", res.Estimated, "error", err.Error())
		return fmt.Errorf("%w: %w", ErrCharge, err)
	}
	return nil
}

func (m *Meter) logger() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

package meter_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// stream is a Chatter that streams chunks, then returns usage and err.
type stream struct {
	chunks []string
	usage  llm.Usage
	err    error
	calls  int
}

func (s *stream) Chat(_ context.Context, _ string, _ store.Persona, _ llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	s.calls++
	for _, c := range s.chunks {
		if err := onDelta(c); err != nil {
			return s.usage, err
		}
	}
	return s.usage, s.err
}

// ledger is real Budgets over a real store, with a user who may spend
// limit tokens a day.
func ledger(t *testing.T, limit int64) (*budget.Budgets, string) {
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
	return budget.New(st, budget.Limits{UserDaily: limit}), tn.ID
}

func spent(t *testing.T, b *budget.Budgets, tenantID string) int64 {
	t.Helper()
	s, err := b.Get(context.Background(), tenantID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	return s.Usage.UserDay
}

var req = llm.ChatRequest{Model: "m", Messages: []llm.Message{
	{Role: llm.RoleSystem, Content: "You are Ada."},        // 12 bytes: 3 + 4
	{Role: llm.RoleUser, Content: strings.Repeat("x", 40)}, // 10 + 4
}}

const reqTokens = 21

func TestChatSettlesWithReportedOrEstimatedCounts(t *testing.T) {
	cut := llm.Errorf(llm.KindBadResponse, "h", nil, "the stream ended before the reply was complete")
	for _, c := range []struct {
		name             string
		s                stream
		prompt, complete int
		estimated        bool
	}{
		{"reported counts are charged as they are",
			stream{chunks: []string{"a", "b"}, usage: llm.Usage{PromptTokens: 30, CompletionTokens: 2}}, 30, 2, false},
		{"a cut stream is charged one token a chunk",
			stream{chunks: strings.Split(strings.Repeat("ab", 60), "")[:60], err: cut}, reqTokens, 60, true},
		{"a cut stream of long chunks is charged four bytes a token",
			stream{chunks: []string{strings.Repeat("y", 400), strings.Repeat("y", 400)}, err: cut}, reqTokens, 200, true},
		{"an unreported prompt is estimated",
			stream{chunks: []string{"a", "b", "c"}, usage: llm.Usage{CompletionTokens: 3}}, reqTokens, 3, true},
		{"a stream cut below its partial count is charged what streamed",
			stream{chunks: strings.Split(strings.Repeat("a", 9), ""), usage: llm.Usage{PromptTokens: 30, CompletionTokens: 4}, err: cut}, 30, 9, true},
		{"a refused call streamed nothing and costs nothing",
			stream{err: llm.Errorf(llm.KindUnavailable, "h", nil, "connection refused")}, 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, tenantID := ledger(t, 1<<40)
			m := meter.New(&c.s, b)
			r, err := m.Reserve(context.Background(), tenantID, "u1")
			if err != nil {
				t.Fatal(err)
			}
			if got := spent(t, b, tenantID); got != budget.Reservation {
				t.Fatalf("held during the call = %d, want %d", got, budget.Reservation)
			}
			res, err := r.Chat(context.Background(), store.Persona{}, req, func(string) error { return nil })
			r.Release()
			r.Release() // a second release gives nothing back twice
			if !errors.Is(err, c.s.err) || (c.s.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, c.s.err)
			}
			if res.Usage.PromptTokens != c.prompt || res.Usage.CompletionTokens != c.complete || res.Estimated != c.estimated || res.ChargeErr != nil {
				t.Fatalf("result = %+v, want prompt %d, completion %d, estimated %v", res, c.prompt, c.complete, c.estimated)
			}
			if got, want := spent(t, b, tenantID), int64(c.prompt+c.complete); got != want {
				t.Fatalf("charged %d, want %d", got, want)
			}
		})
	}
}

// A reply whose onDelta gives up (the client hung up) is charged too.
func TestChatChargesWhenTheCallerStops(t *testing.T) {
	b, tenantID := ledger(t, 1<<40)
	gone := errors.New("client gone")
	s := &stream{chunks: strings.Split(strings.Repeat("a", 80), ""), usage: llm.Usage{Host: "http://gpu1:11434"}}
	r, err := meter.New(s, b).Reserve(context.Background(), tenantID, "u1")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	res, err := r.Chat(context.Background(), store.Persona{}, req, func(string) error {
		if n++; n > 50 {
			return gone
		}
		return nil
	})
	r.Release()
	if !errors.Is(err, gone) || !res.Estimated || res.Usage.CompletionTokens != 51 || res.Usage.Host != "http://gpu1:11434" {
		t.Fatalf("result = %+v, %v", res, err)
	}
	if got := spent(t, b, tenantID); got != int64(reqTokens+51) {
		t.Fatalf("charged %d, want %d", got, reqTokens+51)
	}
}

// failingCharge holds room but cannot charge.
type failingCharge struct{ err error }

func (f failingCharge) Reserve(context.Context, string, string) (func(), error) {
	return func() {}, nil
}
func (f failingCharge) Charge(context.Context, string, string, int64) error { return f.err }

// A charge that fails is returned and logged; the reply stands.
func TestChatReportsAFailedCharge(t *testing.T) {
	var logs bytes.Buffer
	down := errors.New("database is locked")
	s := &stream{chunks: []string{"Hello", "."}, usage: llm.Usage{PromptTokens: 9, CompletionTokens: 2}}
	m := &meter.Meter{Chat: s, Budget: failingCharge{down}, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	r, err := m.Reserve(context.Background(), "t1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	var text strings.Builder
	res, err := r.Chat(context.Background(), store.Persona{}, req, func(s string) error { text.WriteString(s); return nil })
	if err != nil || text.String() != "Hello." {
		t.Fatalf("reply = %q, %v", text.String(), err)
	}
	if !errors.Is(res.ChargeErr, meter.ErrCharge) || !errors.Is(res.ChargeErr, down) {
		t.Fatalf("ChargeErr = %v", res.ChargeErr)
	}
	if l := logs.String(); !strings.Contains(l, "charge token usage") || !strings.Contains(l, "tokens=11") || !strings.Contains(l, down.Error()) {
		t.Fatalf("log = %q", l)
	}
}

// Reserve refuses a spent budget before the provider is asked.
func TestReserveRefusesASpentBudget(t *testing.T) {
	b, tenantID := ledger(t, 100)
	if err := b.Charge(context.Background(), tenantID, "u1", 100); err != nil {
		t.Fatal(err)
	}
	s := &stream{}
	_, err := meter.New(s, b).Reserve(context.Background(), tenantID, "u1")
	var ex *budget.ExceededError
	if !errors.Is(err, budget.ErrExceeded) || !errors.As(err, &ex) || ex.Scope != "user" || ex.Period != "day" {
		t.Fatalf("err = %v", err)
	}
	if s.calls != 0 {
		t.Fatal("the provider was asked")
	}
}

// Without budgets nothing is held or charged, and calls still stream.
func TestMeterWithoutBudgets(t *testing.T) {
	s := &stream{chunks: []string{"a"}, err: errors.New("cut")}
	r, err := meter.New(s, nil).Reserve(context.Background(), "t1", "u1")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	res, err := r.Chat(context.Background(), store.Persona{}, req, func(string) error { return nil })
	if err == nil || res.ChargeErr != nil || !res.Estimated || res.Usage.CompletionTokens != 1 {
		t.Fatalf("result = %+v, %v", res, err)
	}
}

package discuss_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/store"
)

// readFailStore fails the turn's reads of the history or of personas.
type readFailStore struct {
	store.Store
	history, persona error
}

func (s *readFailStore) ListMessages(ctx context.Context, tenantID, discussionID string, after int64, limit int) ([]store.Message, error) {
	if s.history != nil {
		return nil, s.history
	}
	return s.Store.ListMessages(ctx, tenantID, discussionID, after, limit)
}

func (s *readFailStore) GetPersona(ctx context.Context, tenantID, id string) (*store.Persona, error) {
	if s.persona != nil {
		return nil, s.persona
	}
	return s.Store.GetPersona(ctx, tenantID, id)
}

// A turn that cannot read what it answers ends "error" and asks no
// persona; a persona deleted since is skipped and the others answer.
func TestTurnsThatCannotReadEndInError(t *testing.T) {
	broken := errors.New("disk I/O error")
	for _, c := range []struct {
		name             string
		history, persona error
		deleted          bool
		status           string
		asked            int
	}{
		{name: "history read fails", history: broken, status: "error"},
		{name: "persona read fails", persona: broken, status: "error"},
		{name: "a persona was deleted", deleted: true, status: "done", asked: 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, "Ada", "Bob")
			f.chat.replies["Ada"] = []string{"Hello."}
			f.chat.replies["Bob"] = []string{"Hi."}
			d := f.discussion(t, store.ModeParallel, "Ada", "Bob")
			if c.deleted {
				if err := f.st.DeletePersona(context.Background(), f.tenantID, f.personas["Bob"].ID); err != nil {
					t.Fatal(err)
				}
			}
			st := &readFailStore{Store: f.st, history: c.history, persona: c.persona}
			eng := discuss.New(st, &meter.Meter{Chat: f.chat}, f.pub, discuss.Options{FlushEvery: 10 * time.Millisecond})
			defer eng.Shutdown(time.Second)
			if _, _, err := eng.Post(context.Background(), d, "u1", "Hi!"); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for eng.Running(f.tenantID, d.ID) != "" || !strings.Contains(f.pub.last(), `"status":"`+c.status+`"`) {
				if time.Now().After(deadline) {
					t.Fatalf("last event = %s, want the turn announced %q", f.pub.last(), c.status)
				}
				time.Sleep(5 * time.Millisecond)
			}
			f.chat.mu.Lock()
			asked := len(f.chat.requests)
			f.chat.mu.Unlock()
			if asked != c.asked {
				t.Fatalf("personas asked = %d, want %d", asked, c.asked)
			}
		})
	}
}

package storetest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
)

func newDiscussion(t *testing.T, s store.Store, tenantID, title string) *store.Discussion {
	t.Helper()
	d, err := s.CreateDiscussion(context.Background(), store.Discussion{TenantID: tenantID, Title: title, Mode: store.ModeParallel,
		PersonaIDs: []string{"p1", "p2"}, MaxRounds: 3, Threshold: 0.8, CreatedBy: "u"})
	must(t, err)
	return d
}

func addMessage(t *testing.T, s store.Store, d *store.Discussion, role, content, status string) *store.Message {
	t.Helper()
	m, err := s.AddMessage(context.Background(), store.Message{TenantID: d.TenantID, DiscussionID: d.ID, Role: role, Content: content, Status: status})
	must(t, err)
	return m
}

func testDiscussions(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	d := newDiscussion(t, s, f.a.ID, "Pricing 100% review")
	if d.ID == "" || d.Mode != store.ModeParallel || len(d.PersonaIDs) != 2 || d.Threshold != 0.8 {
		t.Fatalf("CreateDiscussion = %+v", d)
	}
	u := addMessage(t, s, d, "user", "What about the Zebra plan?", store.StatusDone)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.AddMessage(ctx, store.Message{TenantID: f.a.ID, DiscussionID: d.ID, Role: "assistant", Status: store.StatusStreaming}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	msgs, err := s.ListMessages(ctx, f.a.ID, d.ID, 0, 100)
	must(t, err)
	if len(msgs) != 9 || msgs[0].ID != u.ID {
		t.Fatalf("messages = %d, first %s", len(msgs), msgs[0].ID)
	}
	for i, m := range msgs {
		if m.Seq != int64(i+1) {
			t.Fatalf("seq %d at position %d: appends must be numbered without gaps", m.Seq, i)
		}
	}
	page, _ := s.ListMessages(ctx, f.a.ID, d.ID, 3, 2)
	if len(page) != 2 || page[0].Seq != 4 {
		t.Fatalf("page after 3 = %+v", page)
	}

	up, err := s.UpdateMessage(ctx, f.a.ID, msgs[1].ID, store.MessageUpdate{Content: "partial", Status: store.StatusStreaming})
	must(t, err)
	if up.Content != "partial" || string(up.Usage) != "{}" {
		t.Fatalf("flush = %+v", up)
	}
	up, err = s.UpdateMessage(ctx, f.a.ID, msgs[1].ID, store.MessageUpdate{Content: "partial answer", Status: store.StatusDone,
		Usage: json.RawMessage(`{"prompt_tokens":3}`), Metadata: json.RawMessage(`{"trimmed":1}`)})
	must(t, err)
	if up.Status != store.StatusDone || string(up.Usage) != `{"prompt_tokens":3}` || string(up.Metadata) != `{"trimmed":1}` {
		t.Fatalf("final = %+v", up)
	}
	n, err := s.InterruptStreaming(ctx, f.a.ID)
	must(t, err)
	if n != 7 {
		t.Fatalf("InterruptStreaming = %d, want 7", n)
	}

	must(t, s.AddRound(ctx, store.Round{TenantID: f.a.ID, DiscussionID: d.ID, TurnID: "t1", Round: 1, Agreement: 0.5, Method: "judge", Explanation: "split"}))
	rounds, err := s.ListRounds(ctx, f.a.ID, d.ID)
	must(t, err)
	if len(rounds) != 1 || rounds[0].Agreement != 0.5 || rounds[0].Explanation != "split" {
		t.Fatalf("rounds = %+v", rounds)
	}

	other := newDiscussion(t, s, f.a.ID, "Unrelated")
	for _, c := range []struct {
		q    string
		want int
	}{{"", 2}, {"pricing", 1}, {"zebra", 1}, {"100%", 1}, {"%", 1}, {"_", 0}, {"nothing here", 0}} {
		got, err := s.ListDiscussions(ctx, f.a.ID, c.q, 50)
		must(t, err)
		if len(got) != c.want {
			t.Errorf("search %q found %d, want %d", c.q, len(got), c.want)
		}
	}
	r, err := s.RenameDiscussion(ctx, f.a.ID, other.ID, "Renamed")
	must(t, err)
	if r.Title != "Renamed" {
		t.Fatalf("rename = %+v", r)
	}
	must(t, s.DeleteDiscussion(ctx, f.a.ID, d.ID))
	if msgs, _ := s.ListMessages(ctx, f.a.ID, d.ID, 0, 100); len(msgs) != 0 {
		t.Fatalf("messages of a deleted discussion remain: %d", len(msgs))
	}
	_, err = s.GetDiscussion(ctx, f.a.ID, d.ID)
	wantErr(t, err, store.ErrNotFound)
}

// testDiscussionIsolation: tenant B never reads, searches, changes or
// appends to tenant A's discussions.
func testDiscussionIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	d := newDiscussion(t, s, f.a.ID, "Secret plans")
	m := addMessage(t, s, d, "user", "confidential", store.StatusStreaming)
	_, err := s.GetDiscussion(ctx, f.b.ID, d.ID)
	wantErr(t, err, store.ErrNotFound)
	if l, _ := s.ListDiscussions(ctx, f.b.ID, "", 50); len(l) != 0 {
		t.Fatalf("B lists A's discussions: %+v", l)
	}
	if l, _ := s.ListDiscussions(ctx, f.b.ID, "confidential", 50); len(l) != 0 {
		t.Fatal("B's search found A's message")
	}
	if l, _ := s.ListMessages(ctx, f.b.ID, d.ID, 0, 50); len(l) != 0 {
		t.Fatal("B lists A's messages")
	}
	_, err = s.UpdateMessage(ctx, f.b.ID, m.ID, store.MessageUpdate{Content: "x", Status: store.StatusDone})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.AddMessage(ctx, store.Message{TenantID: f.b.ID, DiscussionID: d.ID, Role: "user", Status: store.StatusDone})
	wantErr(t, err, store.ErrNotFound)
	_, err = s.RenameDiscussion(ctx, f.b.ID, d.ID, "x")
	wantErr(t, err, store.ErrNotFound)
	wantErr(t, s.DeleteDiscussion(ctx, f.b.ID, d.ID), store.ErrNotFound)
	if n, _ := s.InterruptStreaming(ctx, f.b.ID); n != 0 {
		t.Fatalf("B interrupted %d of A's messages", n)
	}
	got, _ := s.ListMessages(ctx, f.a.ID, d.ID, 0, 50)
	if len(got) != 1 || got[0].Content != "confidential" || got[0].Status != store.StatusStreaming {
		t.Fatalf("A's message changed: %+v", got)
	}
}

// testAuditIsolation: tenant B never reads A's audit log.
func testAuditIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	seal := func(e *store.AuditEntry) string { return "h" + e.Action }
	for _, action := range []string{"a.one", "a.two"} {
		if _, err := s.AppendAudit(ctx, store.AuditEntry{TenantID: f.a.ID, Action: action, ActorID: f.ownerA}, seal); err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.AppendAudit(ctx, store.AuditEntry{TenantID: f.b.ID, Action: "b.one"}, seal)
	must(t, err)
	if e.Seq != 1 || e.PrevHash != "" {
		t.Fatalf("B's first entry continues another chain: %+v", e)
	}
	list, err := s.ListAudit(ctx, f.a.ID, store.FindAudit{Limit: 10})
	must(t, err)
	if len(list) != 2 || list[0].Seq != 2 || list[0].PrevHash != "ha.one" || list[0].Hash != "ha.two" {
		t.Fatalf("A's audit = %+v", list)
	}
	if l, _ := s.ListAudit(ctx, f.a.ID, store.FindAudit{Action: "a.one", Limit: 10}); len(l) != 1 {
		t.Fatalf("filter by action = %+v", l)
	}
	for _, tenant := range []string{f.b.ID, ""} {
		n := 0
		s.ChainAudit(ctx, tenant, func(e store.AuditEntry) error {
			if e.TenantID != f.b.ID {
				t.Errorf("tenant %q sees %s's entry", tenant, e.TenantID)
			}
			n++
			return nil
		})
		if l, _ := s.ListAudit(ctx, tenant, store.FindAudit{Limit: 10}); len(l) > 1 {
			t.Fatalf("tenant %q lists %d entries", tenant, len(l))
		}
	}
}

// testBudgetIsolation: usage and budgets are the tenant's own.
func testBudgetIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newFixture(t, s)
	must(t, s.AddUsage(ctx, f.a.ID, f.ownerA, "2026-11-27", 40))
	must(t, s.AddUsage(ctx, f.a.ID, f.ownerA, "2026-11-27", 2))
	must(t, s.AddUsage(ctx, f.a.ID, f.member, "2026-11-02", 100))
	must(t, s.AddUsage(ctx, f.a.ID, f.ownerA, "2026-10-31", 1000))
	u, err := s.SumUsage(ctx, f.a.ID, f.ownerA, "2026-11-27")
	must(t, err)
	if u.TenantDay != 42 || u.TenantMonth != 142 || u.UserDay != 42 || u.UserMonth != 42 {
		t.Fatalf("A's usage = %+v", u)
	}
	if u, _ := s.SumUsage(ctx, f.b.ID, f.ownerA, "2026-11-27"); u.TenantMonth != 0 {
		t.Fatalf("B sums A's usage: %+v", u)
	}
	limit := int64(7)
	must(t, s.SetBudget(ctx, store.Budget{TenantID: f.a.ID, TenantDaily: &limit}))
	b, err := s.GetBudget(ctx, f.a.ID)
	must(t, err)
	if b.TenantDaily == nil || *b.TenantDaily != 7 || b.UserDaily != nil {
		t.Fatalf("budget = %+v", b)
	}
	_, err = s.GetBudget(ctx, f.b.ID)
	wantErr(t, err, store.ErrNotFound)
}

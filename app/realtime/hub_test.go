package realtime

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

const topicA = "t:tenant1:discussion:d1"

type seqMsg struct {
	P int `json:"p"` // publisher
	N int `json:"n"` // that publisher's counter
}

func TestConcurrentPublishersKeepOrder(t *testing.T) {
	noLeaks(t)
	const publishers, perPublisher, subscribers = 4, 500, 3
	h := newHub(t, Options{SubscriberBuffer: publishers * perPublisher})
	subs := make([]*Subscription, subscribers)
	for i := range subs {
		subs[i] = subscribe(t, h, topicA, "")
	}
	var wg sync.WaitGroup
	for p := range publishers {
		wg.Go(func() {
			for n := range perPublisher {
				if err := h.Publish(topicA, "message", seqMsg{p, n}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()

	var first []*Event
	for i, s := range subs {
		got := make([]*Event, 0, publishers*perPublisher)
		for range publishers * perPublisher {
			got = append(got, next(t, s))
		}
		nextN := make([]int, publishers)
		for j, ev := range got {
			if j > 0 && seqOf(t, ev.ID) != seqOf(t, got[j-1].ID)+1 {
				t.Fatalf("sub %d: id %s follows %s", i, ev.ID, got[j-1].ID)
			}
			m := decode[seqMsg](t, ev.Data)
			if m.N != nextN[m.P] {
				t.Fatalf("sub %d: publisher %d sent %d, want %d", i, m.P, m.N, nextN[m.P])
			}
			nextN[m.P]++
		}
		if i == 0 {
			first = got
			continue
		}
		for j := range got {
			if got[j].ID != first[j].ID || string(got[j].Data) != string(first[j].Data) {
				t.Fatalf("sub %d event %d = %s %s, sub 0 saw %s %s", i, j, got[j].ID, got[j].Data, first[j].ID, first[j].Data)
			}
		}
	}
}

type deltaMsg struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

func TestDeltasCoalesce(t *testing.T) {
	tests := []struct {
		name     string
		coalesce time.Duration
		flush    func(h *Hub) // how the second half is flushed
	}{
		{"by Flush", time.Hour, func(h *Hub) { h.Flush(topicA) }},
		{"by Publish", time.Hour, func(h *Hub) { h.Publish(topicA, "status", "done") }},
		{"by timer", 30 * time.Millisecond, func(*Hub) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			h := newHub(t, Options{Coalesce: tt.coalesce})
			s := subscribe(t, h, topicA, "")
			var want [2]strings.Builder
			for i := range 100 {
				if i == 50 {
					publish(t, h, topicA, "message", "middle")
				}
				text := string(rune('a'+i%26)) + " "
				h.PublishDelta(topicA, "m1", text)
				want[i/50].WriteString(text)
			}
			tt.flush(h)

			// Each half: its first piece goes out at once (leading edge), the
			// other 49 arrive merged into one event.
			for half, w := range want {
				first := next(t, s)
				if d := decode[deltaMsg](t, first.Data); first.Type != TypeDelta || d.Key != "m1" || d.Text != w.String()[:2] {
					t.Fatalf("half %d: first event = %s %s, want the first piece alone", half, first.Type, first.Data)
				}
				rest := next(t, s)
				if d := decode[deltaMsg](t, rest.Data); rest.Type != TypeDelta || d.Text != w.String()[2:] {
					t.Fatalf("half %d: second event = %s %s, want delta %q", half, rest.Type, rest.Data, w.String()[2:])
				}
				if half == 0 {
					if ev := next(t, s); ev.Type != "message" {
						t.Fatalf("third event = %s %s, want the message", ev.Type, ev.Data)
					}
				}
			}
		})
	}
}

// TestDeltasCoalesceOverTime spreads deltas over several windows: they
// arrive as a few events whose text, per key, is the input in order.
func TestDeltasCoalesceOverTime(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{Coalesce: 20 * time.Millisecond})
	s := subscribe(t, h, topicA, "")
	want := map[string]string{}
	for i := range 100 {
		key := []string{"m1", "m2"}[i%2]
		text := string(rune('0'+i%10)) + "."
		h.PublishDelta(topicA, key, text)
		want[key] += text
		time.Sleep(time.Millisecond)
	}
	h.Flush(topicA)
	got := map[string]string{}
	events := 0
	for got["m1"] != want["m1"] || got["m2"] != want["m2"] {
		ev := next(t, s)
		d := decode[deltaMsg](t, ev.Data)
		got[d.Key] += d.Text
		events++
		if !strings.HasPrefix(want[d.Key], got[d.Key]) {
			t.Fatalf("key %s text %q is not a prefix of %q", d.Key, got[d.Key], want[d.Key])
		}
	}
	if events > 40 {
		t.Errorf("100 deltas became %d events; want them coalesced", events)
	}
	t.Logf("100 deltas over ~%v became %d events", 100*time.Millisecond, events)
}

func TestSlowSubscriberIsDropped(t *testing.T) {
	noLeaks(t)
	const total, batch, buffer = 10_000, 500, 1000
	h := newHub(t, Options{SubscriberBuffer: buffer})
	slow := subscribe(t, h, topicA, "")
	fast := subscribe(t, h, topicA, "")
	var received int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range fast.Events() {
			received++
		}
	}()

	var publishing time.Duration
	for i := 0; i < total; i += batch {
		start := time.Now()
		for n := range batch {
			publish(t, h, topicA, "message", i+n)
		}
		publishing += time.Since(start)
		// Let the fast reader catch up between batches, outside the timed part,
		// so only the slow subscriber can overflow.
		waitFor(t, "the fast subscriber", func() bool { return len(fast.Events()) == 0 })
	}
	if publishing > 5*time.Second {
		t.Errorf("%d publishes took %v", total, publishing)
	}
	t.Logf("%d publishes took %v", total, publishing)

	if !slow.Dropped() {
		t.Fatal("slow subscriber not dropped")
	}
	n := 0
	for range slow.Events() { // the buffered events, then closed
		n++
	}
	if n != buffer {
		t.Errorf("slow subscriber kept %d events, want %d", n, buffer)
	}
	fast.Close()
	<-done
	if received != total || fast.Dropped() {
		t.Errorf("fast subscriber got %d of %d (dropped %v)", received, total, fast.Dropped())
	}
	if st := h.Stats(); st.Dropped != 1 || st.Subscribers != 0 {
		t.Errorf("Stats = %+v, want 1 dropped and no subscribers", st)
	}
}

func TestResume(t *testing.T) {
	// The ring holds 100 events; 250 are published before the resume and up
	// to 40 more while it happens, so an id 50 back stays replayable.
	const ring, before = 100, 250
	tests := []struct {
		name       string
		concurrent int // events published concurrently with Subscribe
		last       func(h *Hub, ids []string) string
		wantReset  bool
		wantFirst  int // index of the first replayed event; -1 for live only
	}{
		{"live only", 40, func(*Hub, []string) string { return "" }, false, -1},
		{"from newest", 40, func(_ *Hub, ids []string) string { return ids[before-1] }, false, before},
		{"from the middle of the ring", 40, func(_ *Hub, ids []string) string { return ids[before-50] }, false, before - 49},
		{"from the oldest in the ring", 0, func(_ *Hub, ids []string) string { return ids[before-ring-1] }, false, before - ring},
		{"fell out of the ring", 40, func(_ *Hub, ids []string) string { return ids[before-ring-2] }, true, 0},
		{"another epoch", 40, func(_ *Hub, ids []string) string { _, s, _ := parseID(ids[before-1]); return formatID("0other", s) }, true, 0},
		{"from the future", 40, func(h *Hub, _ []string) string { return formatID(h.epoch, 1<<40) }, true, 0},
		{"malformed", 40, func(*Hub, []string) string { return "garbage" }, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			after := before + tt.concurrent
			h := newHub(t, Options{RingSize: ring, SubscriberBuffer: after + 1})
			var ids []string
			probe := subscribe(t, h, topicA, "")
			for i := range before {
				publish(t, h, topicA, "message", i)
				ids = append(ids, next(t, probe).ID)
			}
			// Publish concurrently with the resume: the subscriber must see
			// every event after its id exactly once, whichever side of the
			// Subscribe call it was published on.
			var wg sync.WaitGroup
			wg.Go(func() {
				for i := before; i < after; i++ {
					publish(t, h, topicA, "message", i)
				}
			})
			s := subscribe(t, h, topicA, tt.last(h, ids))
			wg.Wait()
			// Make sure there is something after the resume point.
			publish(t, h, topicA, "message", after)
			lastSeq := seqOf(t, ids[0]) + uint64(after)

			first := next(t, s)
			if (first.Type == TypeReset) != tt.wantReset {
				t.Fatalf("first event %s %s, want reset %v", first.Type, first.Data, tt.wantReset)
			}
			if !tt.wantReset && tt.wantFirst >= 0 {
				if got := decode[int](t, first.Data); got != tt.wantFirst {
					t.Fatalf("first replayed event is %d, want %d", got, tt.wantFirst)
				}
			}
			// A reset carries the newest id, so the events after it continue it.
			prev := first
			for seqOf(t, prev.ID) < lastSeq {
				ev := next(t, s)
				if seqOf(t, ev.ID) != seqOf(t, prev.ID)+1 {
					t.Fatalf("id %s follows %s", ev.ID, prev.ID)
				}
				if prev.Type != TypeReset && decode[int](t, ev.Data) != decode[int](t, prev.Data)+1 {
					t.Fatalf("event %s follows %s", ev.Data, prev.Data)
				}
				prev = ev
			}
		})
	}
}

// TestIdleTopicIsFreed checks that the sweeper frees a topic nobody uses and
// that ids stay unambiguous when the topic comes back.
func TestIdleTopicIsFreed(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{TopicIdle: time.Minute})
	s := subscribe(t, h, topicA, "")
	publish(t, h, topicA, "message", 1)
	last := next(t, s).ID
	h.PublishDelta(topicA, "k", "sent at once, ")
	h.PublishDelta(topicA, "k", "pending")

	h.sweep(time.Now().Add(time.Hour))
	if st := h.Stats(); st.Topics != 1 {
		t.Fatalf("topic with a subscriber was freed: %+v", st)
	}
	s.Close()
	h.sweep(time.Now().Add(time.Hour))
	if st := h.Stats(); st.Topics != 1 {
		t.Fatalf("topic with pending deltas was freed: %+v", st)
	}
	h.Flush(topicA)
	last = formatID(h.epoch, seqOf(t, last)+2) // the two deltas
	h.sweep(time.Now())
	if st := h.Stats(); st.Topics != 1 {
		t.Fatalf("recently active topic was freed: %+v", st)
	}
	h.sweep(time.Now().Add(time.Hour))
	if st := h.Stats(); st.Topics != 0 {
		t.Fatalf("idle topic kept: %+v", st)
	}

	// A client that had seen everything resumes seamlessly on the new topic.
	publish(t, h, topicA, "message", 2)
	s = subscribe(t, h, topicA, last)
	defer s.Close()
	if ev := next(t, s); ev.Type != "message" || string(ev.Data) != "2" || seqOf(t, ev.ID) != seqOf(t, last)+1 {
		t.Fatalf("after the topic came back got %s %s %s", ev.ID, ev.Type, ev.Data)
	}
	// One that had missed something is told to refetch.
	s2 := subscribe(t, h, topicA, formatID(h.epoch, seqOf(t, last)-1))
	defer s2.Close()
	if ev := next(t, s2); ev.Type != TypeReset {
		t.Fatalf("stale id after the topic came back got %s %s", ev.Type, ev.Data)
	}
}

func TestCloseEndsEverything(t *testing.T) {
	noLeaks(t)
	h := New(Options{Coalesce: time.Hour})
	s1 := subscribe(t, h, topicA, "")
	s2 := subscribe(t, h, "t:tenant1:activity", "")
	h.PublishDelta(topicA, "k", "tail")
	h.Close()
	h.Close()

	if ev := next(t, s1); ev.Type != TypeDelta {
		t.Errorf("pending delta not flushed on Close: %s", ev.Type)
	}
	for _, s := range []*Subscription{s1, s2} {
		if _, ok := <-s.Events(); ok {
			t.Error("subscription still open after Close")
		}
		if s.Dropped() {
			t.Error("Close counted as a drop")
		}
		s.Close()
	}
	if err := h.Publish(topicA, "message", 1); !errors.Is(err, ErrClosed) {
		t.Errorf("Publish after Close = %v", err)
	}
	if _, err := h.Subscribe(topicA, ""); !errors.Is(err, ErrClosed) {
		t.Errorf("Subscribe after Close = %v", err)
	}
	h.PublishDelta(topicA, "k", "ignored")
	h.Flush(topicA)
	if st := h.Stats(); st != (Stats{}) {
		t.Errorf("Stats after Close = %+v", st)
	}
}

func TestRingStaysWithinRingSize(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{RingSize: 100})
	for i := range 250 {
		publish(t, h, topicA, "message", i)
	}
	tp, _ := h.topic(topicA)
	tp.mu.Lock()
	defer tp.mu.Unlock()
	if len(tp.ring) != 100 || cap(tp.ring) > 100 {
		t.Errorf("ring len %d cap %d, want 100", len(tp.ring), cap(tp.ring))
	}
}

func TestFlushDoesNotCreateTopics(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{})
	h.Flush("t:x:activity")
	if st := h.Stats(); st.Topics != 0 {
		t.Errorf("Stats = %+v", st)
	}
}

func TestPublishRejects(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{})
	tests := []struct {
		name string
		typ  string
		data any
	}{
		{"empty type", "", 1},
		{"newline in type", "a\nb", 1},
		{"unmarshalable data", "message", func() {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := h.Publish(topicA, tt.typ, tt.data); err == nil {
				t.Error("Publish succeeded")
			}
		})
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		id    string
		epoch string
		seq   uint64
		ok    bool
	}{
		{"abc-12", "abc", 12, true},
		{"a-b-7", "a-b", 7, true},
		{"abc-", "", 0, false},
		{"-5", "", 0, false},
		{"abc", "", 0, false},
		{"abc-x", "", 0, false},
	}
	for _, tt := range tests {
		e, s, ok := parseID(tt.id)
		if ok != tt.ok || (ok && (e != tt.epoch || s != tt.seq)) {
			t.Errorf("parseID(%q) = %q %d %v", tt.id, e, s, ok)
		}
	}
}

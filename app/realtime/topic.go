package realtime

import (
	"encoding/json"
	"sync"
	"time"
)

// topic holds one topic's subscribers, replay ring and pending deltas. Every
// field is guarded by mu.
type topic struct {
	hub  *Hub
	name string

	mu   sync.Mutex
	seq  uint64   // seq of the newest event
	ring []*Event // the newest events, oldest at head once full; grows lazily up to RingSize
	head int
	subs map[*Subscription]struct{}

	pending []*delta    // deltas waiting for the coalescing timer, in order of first call
	timer   *time.Timer // one per topic, created on the first delta; fires in its own short-lived goroutine
	armed   bool

	lastActive time.Time
	gone       bool // freed by the sweeper or closed with the hub: look the topic up again
}

type delta struct {
	key  string
	text []byte
}

func newTopic(h *Hub, name string, seq uint64) *topic {
	return &topic{hub: h, name: name, seq: seq, subs: make(map[*Subscription]struct{}), lastActive: time.Now()}
}

// emitLocked numbers an event, keeps it for replay and offers it to every
// subscriber without blocking; a subscriber with a full buffer is dropped.
func (t *topic) emitLocked(typ string, data json.RawMessage) {
	t.seq++
	ev := &Event{ID: formatID(t.hub.epoch, t.seq), Type: typ, Data: data}
	t.rememberLocked(ev)
	for s := range t.subs {
		select {
		case s.ch <- ev:
		default:
			s.dropped.Store(true)
			t.hub.dropped.Add(1)
			t.removeLocked(s)
		}
	}
	t.lastActive = time.Now()
}

func (t *topic) rememberLocked(ev *Event) {
	if n := len(t.ring); n < t.hub.opts.RingSize {
		if n == cap(t.ring) { // grow by doubling, but never past RingSize
			t.ring = append(make([]*Event, 0, min(max(2*n, 8), t.hub.opts.RingSize)), t.ring...)
		}
		t.ring = append(t.ring, ev)
		return
	}
	t.ring[t.head] = ev
	t.head = (t.head + 1) % len(t.ring)
}

// sinceLocked returns the events after id, or a single reset event when they
// cannot all be replayed.
func (t *topic) sinceLocked(id string) []*Event {
	epoch, seq, ok := parseID(id)
	switch {
	case !ok || epoch != t.hub.epoch:
		return []*Event{t.resetLocked("restarted")}
	case seq > t.seq || t.seq-seq > uint64(len(t.ring)):
		return []*Event{t.resetLocked("expired")}
	}
	n := int(t.seq - seq) // events to replay, all in the ring
	out := make([]*Event, n)
	for i := range n {
		out[i] = t.ring[(t.head+len(t.ring)-n+i)%len(t.ring)]
	}
	return out
}

// resetLocked carries the newest event's id: after refetching state the
// client has seen everything up to it, so a later resume continues there.
func (t *topic) resetLocked(reason string) *Event {
	data, _ := json.Marshal(struct {
		Reason string `json:"reason"`
	}{reason})
	return &Event{ID: formatID(t.hub.epoch, t.seq), Type: TypeReset, Data: data}
}

func (t *topic) appendDeltaLocked(key, text string) {
	for _, d := range t.pending {
		if d.key == key {
			d.text = append(d.text, text...)
			return
		}
	}
	t.pending = append(t.pending, &delta{key: key, text: []byte(text)})
	if t.armed {
		return
	}
	// Leading edge: the first delta after a quiet window goes out at once,
	// so coalescing never adds to the time to first token; the ones that
	// follow within the window are merged and sent when it ends.
	t.flushLocked()
	t.armed = true
	if t.timer == nil {
		t.timer = time.AfterFunc(t.hub.opts.Coalesce, t.onTimer)
	} else {
		t.timer.Reset(t.hub.opts.Coalesce)
	}
}

// onTimer may run late, after Publish or Flush already emitted the deltas it
// was armed for; it then flushes newer ones a little early, which is harmless.
func (t *topic) onTimer() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.gone {
		t.flushLocked()
	}
}

func (t *topic) flushLocked() {
	if t.armed {
		t.armed = false
		t.timer.Stop()
	}
	for i, d := range t.pending {
		data, _ := json.Marshal(struct {
			Key  string `json:"key"`
			Text string `json:"text"`
		}{d.key, string(d.text)})
		t.emitLocked(TypeDelta, data)
		t.pending[i] = nil
	}
	t.pending = t.pending[:0]
}

func (t *topic) removeLocked(s *Subscription) {
	if _, ok := t.subs[s]; !ok {
		return
	}
	delete(t.subs, s)
	close(s.ch)
	t.hub.subscribers.Add(-1)
	if len(t.subs) == 0 {
		t.lastActive = time.Now()
	}
}

func (t *topic) idleLocked(now time.Time, idle time.Duration) bool {
	return len(t.subs) == 0 && len(t.pending) == 0 && now.Sub(t.lastActive) >= idle
}

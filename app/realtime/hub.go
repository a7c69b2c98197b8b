package realtime

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Hub fans events out to subscribers of topics. All methods are safe for
// concurrent use. The hot path takes only the topic's own mutex; the hub
// mutex guards the topic map and is write-locked only to add or free topics.
type Hub struct {
	opts  Options
	epoch string

	mu       sync.RWMutex
	topics   map[string]*topic
	seqFloor uint64 // highest seq of any freed topic; guarded by mu
	closed   atomic.Bool

	subscribers atomic.Int64
	dropped     atomic.Uint64

	access access // owned subscriptions, for Revoke

	done chan struct{}
	wg   sync.WaitGroup
}

var epochCounter atomic.Uint64

// New returns a running hub. Close it to stop its background sweeper and end
// every subscription.
func New(o Options) *Hub {
	// The epoch changes with every hub, so ids from before a restart are
	// recognised as foreign and answered with "reset". The counter keeps two
	// hubs made in the same nanosecond apart.
	epoch := strconv.FormatInt(time.Now().UnixNano(), 36) + strconv.FormatUint(epochCounter.Add(1), 36)
	h := &Hub{
		opts:   o.withDefaults(),
		epoch:  epoch,
		topics: make(map[string]*topic),
		done:   make(chan struct{}),
	}
	h.wg.Add(1)
	go h.sweeper()
	return h
}

// Publish sends one event to every subscriber of topic and keeps it for
// replay. data is marshalled to JSON once. It never blocks on subscribers: a
// subscriber whose buffer is full is dropped. Pending deltas of the topic are
// flushed first, so text published before this event arrives before it.
func (h *Hub) Publish(topic, typ string, data any) error {
	if typ == "" || strings.ContainsAny(typ, "\r\n") {
		return fmt.Errorf("realtime: invalid event type %q", typ)
	}
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("realtime: publish %q: %w", typ, err)
	}
	t, err := h.lock(topic)
	if err != nil {
		return err
	}
	defer t.mu.Unlock()
	t.flushLocked()
	t.emitLocked(typ, b)
	return nil
}

// PublishDelta appends text to the pending delta of (topic, key). Within the
// coalescing window all calls for one key become one "delta" event with data
// {"key":key,"text":concatenated}. Text of one key stays in order; deltas of
// different keys flushed together are emitted in order of their first call.
// After Close it does nothing.
func (h *Hub) PublishDelta(topic, key, text string) {
	if text == "" {
		return
	}
	t, err := h.lock(topic)
	if err != nil {
		return
	}
	defer t.mu.Unlock()
	t.appendDeltaLocked(key, text)
}

// Flush emits the pending deltas of topic now.
func (h *Hub) Flush(topic string) {
	h.mu.RLock()
	t := h.topics[topic]
	h.mu.RUnlock()
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.gone {
		t.flushLocked()
	}
}

// Subscribe registers a subscriber of topic. With lastEventID "" it receives
// live events only. With the id of an event still in the topic's ring it
// first receives every later event, then live ones, with no gap and no
// duplicate. Otherwise (an id from before a restart, one that fell out of the
// ring, or a malformed one) its first event has Type "reset" and the id of
// the newest event, and live events follow.
func (h *Hub) Subscribe(topic, lastEventID string) (*Subscription, error) {
	t, err := h.lock(topic)
	if err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	var first []*Event
	if lastEventID != "" {
		first = t.sinceLocked(lastEventID)
	}
	s := &Subscription{t: t, ch: make(chan *Event, h.opts.SubscriberBuffer+len(first))}
	for _, ev := range first {
		s.ch <- ev
	}
	t.subs[s] = struct{}{}
	h.subscribers.Add(1)
	return s, nil
}

// Close ends every subscription (after flushing pending deltas to them) and
// stops the hub's goroutines. Later calls to Publish and Subscribe return
// ErrClosed. Close is idempotent.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed.Load() {
		h.mu.Unlock()
		return
	}
	h.closed.Store(true)
	topics := h.topics
	h.topics = make(map[string]*topic)
	h.mu.Unlock()

	close(h.done)
	h.wg.Wait()
	for _, t := range topics {
		t.mu.Lock()
		t.flushLocked()
		t.gone = true
		for s := range t.subs {
			t.removeLocked(s)
		}
		t.mu.Unlock()
	}
}

// Stats reports the current number of topics and subscribers and how many
// subscribers have been dropped.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	n := len(h.topics)
	h.mu.RUnlock()
	return Stats{Topics: n, Subscribers: int(h.subscribers.Load()), Dropped: h.dropped.Load()}
}

// lock returns the live topic named name, created if needed, with its mutex
// held. A topic freed between the map lookup and the lock is looked up again.
func (h *Hub) lock(name string) (*topic, error) {
	for {
		t, err := h.topic(name)
		if err != nil {
			return nil, err
		}
		t.mu.Lock()
		if !t.gone {
			return t, nil
		}
		t.mu.Unlock()
	}
}

func (h *Hub) topic(name string) (*topic, error) {
	h.mu.RLock()
	t := h.topics[name]
	h.mu.RUnlock()
	if t != nil {
		return t, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed.Load() {
		return nil, ErrClosed
	}
	if t = h.topics[name]; t == nil {
		t = newTopic(h, name, h.seqFloor)
		h.topics[name] = t
	}
	return t, nil
}

// sweeper frees idle topics so memory does not grow with every discussion
// ever opened.
func (h *Hub) sweeper() {
	defer h.wg.Done()
	tk := time.NewTicker(max(h.opts.TopicIdle/4, 10*time.Millisecond))
	defer tk.Stop()
	for {
		select {
		case <-h.done:
			return
		case now := <-tk.C:
			h.sweep(now)
		}
	}
}

// sweep frees every topic idle at now. A freed topic's ring is lost; a new
// topic of the same name continues above the highest seq ever freed, so an
// old id is never mistaken for a new event of the same number.
func (h *Hub) sweep(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for name, t := range h.topics {
		t.mu.Lock()
		if t.idleLocked(now, h.opts.TopicIdle) {
			t.gone = true
			h.seqFloor = max(h.seqFloor, t.seq)
			delete(h.topics, name)
		}
		t.mu.Unlock()
	}
}

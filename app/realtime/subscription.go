package realtime

import "sync/atomic"

// Subscription is one subscriber of a topic. Its methods are safe for
// concurrent use.
type Subscription struct {
	t       *topic
	ch      chan *Event
	dropped atomic.Bool
}

// Events returns the subscriber's events in publish order. The channel is
// closed when the subscription ends: by Close, by the hub's Close, or because
// the subscriber fell behind (then Dropped reports true). Events buffered
// before the end are still delivered.
func (s *Subscription) Events() <-chan *Event { return s.ch }

// Dropped reports whether the subscription ended because its buffer
// overflowed. The client should resume from the last event id it received.
func (s *Subscription) Dropped() bool { return s.dropped.Load() }

// Close ends the subscription. It is idempotent.
func (s *Subscription) Close() {
	s.t.mu.Lock()
	defer s.t.mu.Unlock()
	s.t.removeLocked(s)
}

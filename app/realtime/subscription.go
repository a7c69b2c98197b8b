package realtime

import (
	"sync/atomic"
	"time"
)

// Subscription is one subscriber of a topic. Its methods are safe for
// concurrent use.
type Subscription struct {
	t       *topic
	ch      chan *Event
	dropped atomic.Bool

	owner   *Owner                     // set by SubscribeAs before it is shared; nil: not access-checked
	expiry  atomic.Pointer[time.Timer] // ends an owned subscription when its credential expires
	revoked atomic.Pointer[string]     // why the subscription was revoked
}

// Events returns the subscriber's events in publish order. The channel is
// closed when the subscription ends: by Close, by the hub's Close, because
// the subscriber fell behind (then Dropped reports true) or because its
// access was revoked (then Revoked reports why). Events buffered before the
// end are still delivered.
func (s *Subscription) Events() <-chan *Event { return s.ch }

// Dropped reports whether the subscription ended because its buffer
// overflowed. The client should resume from the last event id it received.
func (s *Subscription) Dropped() bool { return s.dropped.Load() }

// Revoked reports why the subscription's access was revoked (one of the
// Reason constants), or "" while it was not.
func (s *Subscription) Revoked() string {
	if r := s.revoked.Load(); r != nil {
		return *r
	}
	return ""
}

// Close ends the subscription. It is idempotent.
func (s *Subscription) Close() {
	s.t.mu.Lock()
	s.t.removeLocked(s)
	s.t.mu.Unlock()
	if s.owner != nil {
		if tm := s.expiry.Load(); tm != nil {
			tm.Stop()
		}
		s.t.hub.access.remove(s)
	}
}

// revoke ends the subscription for reason; the first reason sticks.
func (s *Subscription) revoke(reason string) {
	s.revoked.CompareAndSwap(nil, &reason)
	s.Close()
}

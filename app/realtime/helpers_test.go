package realtime

import (
	"encoding/json"
	"runtime"
	"testing"
	"time"
)

// noLeaks fails the test if it ends with more goroutines than it started
// with, after letting them settle briefly. Call it first, so its cleanup runs
// after every other one.
func noLeaks(t testing.TB) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				t.Errorf("goroutines: %d before, %d after\n%s", before, runtime.NumGoroutine(), buf[:n])
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// newHub returns a hub closed when the test ends.
func newHub(t testing.TB, o Options) *Hub {
	t.Helper()
	h := New(o)
	t.Cleanup(h.Close)
	return h
}

func subscribe(t testing.TB, h *Hub, topic, last string) *Subscription {
	t.Helper()
	s, err := h.Subscribe(topic, last)
	if err != nil {
		t.Fatalf("Subscribe(%q, %q): %v", topic, last, err)
	}
	return s
}

func publish(t testing.TB, h *Hub, topic, typ string, data any) {
	t.Helper()
	if err := h.Publish(topic, typ, data); err != nil {
		t.Fatalf("Publish: %v", err)
	}
}

// next receives one event or fails after a generous timeout.
func next(t testing.TB, s *Subscription) *Event {
	t.Helper()
	select {
	case ev, ok := <-s.Events():
		if !ok {
			t.Fatal("subscription ended")
		}
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return nil
}

// seqOf returns the seq part of an event id.
func seqOf(t testing.TB, id string) uint64 {
	t.Helper()
	_, seq, ok := parseID(id)
	if !ok {
		t.Fatalf("malformed id %q", id)
	}
	return seq
}

func decode[T any](t testing.TB, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}

// waitFor polls cond until it holds or fails the test after 5s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

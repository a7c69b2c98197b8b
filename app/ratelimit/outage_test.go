package ratelimit_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/redis/go-redis/v9"
)

// logRecorder is a logf that keeps what it was given.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) logf(msg string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprint(append([]any{msg}, args...)...))
}

func (r *logRecorder) count(substr string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, l := range r.lines {
		if strings.Contains(l, substr) {
			n++
		}
	}
	return n
}

// closedPort is a store nothing listens on, without go-redis's dial
// retries (5 × 100 ms by default) so the test stays fast.
func closedPort() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialerRetries: 1, DialerRetryTimeout: time.Millisecond})
}

func TestOutagePolicy(t *testing.T) {
	closed, err := kv.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	// A closed embedded client fails only the script: the embedded mode's
	// in-process buckets never reach it (TestEmbeddedUnderLoad).
	stores := []struct {
		name string
		open func(ratelimit.Policy, func(string, ...any)) *ratelimit.Limiter
	}{
		{"closed port", func(p ratelimit.Policy, logf func(string, ...any)) *ratelimit.Limiter {
			return ratelimit.New(closedPort(), p, logf)
		}},
		{"closed client", func(p ratelimit.Policy, logf func(string, ...any)) *ratelimit.Limiter {
			return ratelimit.NewScript(closed, p, logf)
		}},
	}
	rule := ratelimit.Rule{Rate: 1, Burst: 1}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			cases := []struct {
				policy  ratelimit.Policy
				allowed bool
				retry   time.Duration
			}{
				{ratelimit.FailOpen, true, 0},
				{ratelimit.FailClosed, false, time.Second},
			}
			for _, tc := range cases {
				t.Run(tc.policy.String(), func(t *testing.T) {
					var log logRecorder
					l := s.open(tc.policy, log.logf)
					for i := range 20 {
						d, err := l.Allow(context.Background(), "nyx:rl:test", rule, 1)
						if err != nil || d.Allowed != tc.allowed || d.RetryAfter != tc.retry || d.Limit != 0 || !d.Unavailable {
							t.Fatalf("call %d: %+v, %v; want allowed=%v, RetryAfter %v, Unavailable, nil error", i, d, err, tc.allowed, tc.retry)
						}
					}
					if n := log.count("store unreachable, failing " + tc.policy.String()); n != 1 {
						t.Fatalf("%d alarms for 20 failures in one window, want 1: %q", n, log.lines)
					}
					if l.Healthy() || l.Failures() != 20 {
						t.Fatalf("Healthy = %v, Failures = %d; want false, 20", l.Healthy(), l.Failures())
					}
				})
			}
		})
	}
}

// TestOutageRecovery stops and restarts a store under one Limiter: it
// alarms once while down, then says once that the store is back.
func TestOutageRecovery(t *testing.T) {
	m := miniredis.RunT(t) // on 127.0.0.1; unlike kv's embedded server it can be stopped and restarted
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), MaxRetries: -1, DialerRetries: 1, DialerRetryTimeout: time.Millisecond})
	defer c.Close()
	var log logRecorder
	l := ratelimit.New(c, ratelimit.FailClosed, log.logf)
	rule := ratelimit.Rule{Rate: 1, Burst: 10}
	step := func(name string, allowed, healthy bool) {
		t.Helper()
		d, err := l.Allow(context.Background(), "nyx:rl:recovery", rule, 1)
		if err != nil || d.Allowed != allowed || l.Healthy() != healthy {
			t.Fatalf("%s: %+v, %v, Healthy %v; want allowed=%v, Healthy %v", name, d, err, l.Healthy(), allowed, healthy)
		}
	}
	step("up", true, true)
	m.Close()
	step("down", false, false)
	step("still down", false, false)
	if err := m.Restart(); err != nil {
		t.Fatal(err)
	}
	step("back", true, true)
	step("still back", true, true)
	if log.count("unreachable") != 1 || log.count("reachable again") != 1 || len(log.lines) != 2 {
		t.Fatalf("log = %q, want one alarm and one recovery line", log.lines)
	}
}

func TestCallerCancellationIsNotAnOutage(t *testing.T) {
	var log logRecorder
	l := ratelimit.New(closedPort(), ratelimit.FailOpen, log.logf)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, err := l.Allow(ctx, "k", ratelimit.Rule{Rate: 1, Burst: 1}, 1)
	if err == nil || d.Allowed || l.Failures() != 0 || len(log.lines) != 0 {
		t.Fatalf("cancelled call: %+v, %v, %d failures, log %q; want an error, no alarm", d, err, l.Failures(), log.lines)
	}
}

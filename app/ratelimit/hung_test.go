package ratelimit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

// A Redis that holds connections open and answers nothing (here a real
// redis-server under SIGSTOP) must cost each decision no more than the
// limiter's timeout, concurrent callers included, and count as an outage:
// before, every request waited go-redis's 3 s read timeout.
func TestHungRedisDecidesWithinTimeout(t *testing.T) {
	srv := kvtest.Start(t)
	c, err := kv.Open(context.Background(), srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var log logRecorder
	l := ratelimit.New(c, ratelimit.FailClosed, log.logf)
	l.SetTimeout(200 * time.Millisecond)
	rule := ratelimit.Rule{Rate: 100, Burst: 100}
	if d, err := l.Allow(context.Background(), "hung:warm", rule, 1); err != nil || !d.Allowed {
		t.Fatalf("before the pause: %+v, %v", d, err)
	}

	srv.Pause()
	const callers = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	var slowest time.Duration
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			d, err := l.Allow(context.Background(), "hung:"+string(rune('a'+i)), rule, 1)
			took := time.Since(start)
			mu.Lock()
			slowest = max(slowest, took)
			mu.Unlock()
			if err != nil || d.Allowed || !d.Unavailable || d.RetryAfter <= 0 {
				t.Errorf("paused Redis: decision %+v, %v; want refused as unavailable with Retry-After", d, err)
			}
		}()
	}
	wg.Wait()
	// One batch in flight at a time: a queued caller waits for the batch
	// ahead of it (bounded by its leader's timeout) and then its own.
	if slowest > time.Second {
		t.Errorf("slowest decision against a hung Redis took %v, want about the 200ms timeout (at most 1s)", slowest)
	}
	if l.Healthy() || l.Failures() < callers {
		t.Errorf("healthy %v, failures %d; want unhealthy and at least %d failures counted", l.Healthy(), l.Failures(), callers)
	}
	if log.count("store unreachable") == 0 {
		t.Errorf("no outage alarm logged: %q", log.lines)
	}

	srv.Resume()
	deadline := time.Now().Add(5 * time.Second)
	for {
		d, err := l.Allow(context.Background(), "hung:after", rule, 1)
		if err == nil && d.Allowed && !d.Unavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5s after Resume: %+v, %v; want decisions again", d, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !l.Healthy() {
		t.Errorf("after Resume: not healthy")
	}
}

package ratelimit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/redis/go-redis/v9"
)

// TestLocalMatchesScript plays one random sequence of Allow and Check
// calls, at random instants, against bucketScript (on a miniredis whose
// clock and TTLs the test moves) and against the in-process buckets (on a
// clock moved the same way): every decision must be identical, to the
// microsecond of RetryAfter and Reset.
func TestLocalMatchesScript(t *testing.T) {
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr()})
	defer c.Close()
	start := time.Unix(1_700_000_000, 0)
	m.SetTime(start)
	var elapsed atomic.Int64 // µs
	script := ratelimit.NewScript(c, ratelimit.FailClosed, t.Logf)
	local := ratelimit.NewLocalAt(elapsed.Load, 1<<16)

	rules := []ratelimit.Rule{{Rate: 10, Burst: 5}, {Rate: 0.5, Burst: 3}, {Rate: 1000, Burst: 100}, ratelimit.Every(10, 15*time.Minute)}
	limits := ratelimit.Limits{"t": {"a": rules[0], "b": rules[1], "c": rules[3]}}
	rng := rand.New(rand.NewPCG(1, 2))
	steps := []time.Duration{0, time.Microsecond, 317 * time.Microsecond, 40 * time.Millisecond, 250 * time.Millisecond, 2 * time.Second, 5 * time.Minute}
	ctx := context.Background()
	for i := range 3000 {
		if dt := steps[rng.IntN(len(steps))]; dt > 0 {
			elapsed.Add(dt.Microseconds())
			m.SetTime(start.Add(time.Duration(elapsed.Load()) * time.Microsecond))
			m.FastForward(dt)
		}
		var got, want ratelimit.Decision
		var errGot, errWant error
		if rng.IntN(2) == 0 {
			r := rng.IntN(len(rules))
			key := fmt.Sprintf("nyx:rl:eq:%d:%d", r, rng.IntN(3))
			cost := 1 + rng.IntN(3)
			want, errWant = script.Allow(ctx, key, rules[r], cost)
			got, errGot = local.Allow(ctx, key, rules[r], cost)
		} else {
			ids := map[string]string{"a": fmt.Sprint(rng.IntN(3)), "b": fmt.Sprint(rng.IntN(2)), "c": fmt.Sprint(rng.IntN(4))}
			cost := 1 + rng.IntN(2)
			want, errWant = script.CheckN(ctx, "t", ids, limits, cost)
			got, errGot = local.CheckN(ctx, "t", ids, limits, cost)
		}
		if errGot != nil || errWant != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d at +%dµs: in-process %+v, %v; script %+v, %v", i, elapsed.Load(), got, errGot, want, errWant)
		}
	}
	if script.Failures() != 0 {
		t.Fatalf("script failed %d times", script.Failures())
	}
}

// TestEmbeddedUnderLoad is the load that made the embedded limiter fail
// open: 16 callers making 10,000 decisions each, as requests with one
// shared 10-second budget. Lua on the in-process miniredis managed 2–3k
// decisions a second, so most calls ran past their deadline and failed
// open; the in-process buckets must answer every one, and never grant a
// hot bucket more than its burst.
func TestEmbeddedUnderLoad(t *testing.T) {
	c, err := kv.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var log logRecorder
	l := ratelimit.New(c, ratelimit.FailOpen, log.logf)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hot := ratelimit.Rule{Rate: 0.0001, Burst: 1000}
	limits := ratelimit.Limits{ratelimit.ClassRead: {ratelimit.ScopeIP: {Rate: 1e6, Burst: 1 << 20}, ratelimit.ScopeUser: hot}}
	var granted, unavailable atomic.Int64
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 10_000 {
				ids := map[string]string{ratelimit.ScopeIP: fmt.Sprintf("198.51.100.%d", (g*10_000+i)%250), ratelimit.ScopeUser: "hot" + run}
				d, err := l.Check(ctx, ratelimit.ClassRead, ids, limits)
				if err != nil {
					t.Errorf("caller %d, decision %d: %v", g, i, err)
					return
				}
				if d.Unavailable {
					unavailable.Add(1)
				} else if d.Allowed {
					granted.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if unavailable.Load() != 0 || l.Failures() != 0 || !l.Healthy() {
		t.Fatalf("%d decisions failed open (%d store failures; log %q)", unavailable.Load(), l.Failures(), log.lines)
	}
	if granted.Load() != int64(hot.Burst) {
		t.Fatalf("hot bucket granted %d, want exactly its burst %d", granted.Load(), hot.Burst)
	}
}

// TestLocalBounded floods the in-process buckets with distinct keys, as
// an attacker rotating addresses would: the map stays within its bound,
// and the flood does not make it forget a bucket that is still empty.
func TestLocalBounded(t *testing.T) {
	var now atomic.Int64
	const bound = 32 * 16
	l := ratelimit.NewLocalAt(now.Load, bound)
	ctx := context.Background()
	slow := ratelimit.Every(5, time.Hour)
	for range slow.Burst {
		allow(t, l, "victim", slow, 1)
	}
	for i := range 20_000 {
		now.Add(1000)
		if d, _ := l.Allow(ctx, fmt.Sprint("flood-", i), ratelimit.Rule{Rate: 1, Burst: 10}, 1); !d.Allowed {
			t.Fatalf("fresh key %d refused: %+v", i, d)
		}
		if n := l.Buckets(); n > bound {
			t.Fatalf("after %d keys: %d buckets held, bound %d", i, n, bound)
		}
	}
	if d := allow(t, l, "victim", slow, 1); d.Allowed {
		t.Fatalf("the exhausted bucket was forgotten in the flood: %+v", d)
	}
	// Once every flood bucket has refilled (expired), they are dropped
	// before anything else, and changed no decision by going.
	now.Add(time.Minute.Microseconds())
	for i := range bound {
		allow(t, l, fmt.Sprint("later-", i), slow, 1)
	}
	if d := allow(t, l, "victim", slow, 1); d.Allowed {
		t.Fatalf("the exhausted bucket was dropped with the expired ones: %+v", d)
	}
}

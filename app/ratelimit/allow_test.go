package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

func TestAllowBurstThenRefuseThenRefill(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *kv.Client) {
		l := ratelimit.New(c, ratelimit.FailClosed, nil)
		// A token every 100 ms: slow enough that none arrives while the
		// burst is spent (miniredis under -race takes ~15 ms for it), fast
		// enough to test refill with real sleeps.
		rule := ratelimit.Rule{Rate: 10, Burst: 5}
		k := key(t, "a")
		for i := range rule.Burst {
			d := allow(t, l, k, rule, 1)
			if !d.Allowed || d.Remaining != rule.Burst-1-i || d.Limit != rule.Burst {
				t.Fatalf("request %d: %+v, want allowed with %d left", i, d, rule.Burst-1-i)
			}
		}
		d := allow(t, l, k, rule, 1)
		// The wait is one token's time less what trickled in since the burst.
		if d.Allowed || d.Remaining != 0 || d.RetryAfter <= 0 || d.RetryAfter > 100*time.Millisecond {
			t.Fatalf("request past burst: %+v, want refused with 0 < RetryAfter ≤ 100ms", d)
		}
		if !near(d.Reset, d.RetryAfter+400*time.Millisecond, 2*time.Microsecond) { // each rounded up to the µs
			t.Fatalf("Reset = %v, want RetryAfter + 4 tokens' time", d.Reset)
		}
		time.Sleep(d.RetryAfter + 5*time.Millisecond)
		if d := allow(t, l, k, rule, 1); !d.Allowed {
			t.Fatalf("after RetryAfter: %+v, want allowed", d)
		}
		time.Sleep(600 * time.Millisecond)
		if d := allow(t, l, k, rule, 1); !d.Allowed || d.Remaining != rule.Burst-1 {
			t.Fatalf("after a full refill: %+v, want %d left (never more than burst)", d, rule.Burst-1)
		}
	})
}

func TestAllowCostAndExpiry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *kv.Client) {
		l := ratelimit.New(c, ratelimit.FailClosed, nil)
		rule := ratelimit.Rule{Rate: 10, Burst: 10}
		k := key(t, "llm")
		if d := allow(t, l, k, rule, 7); !d.Allowed || d.Remaining != 3 {
			t.Fatalf("cost 7 of 10: %+v", d)
		}
		d := allow(t, l, k, rule, 4)
		if d.Allowed || d.Remaining != 3 || !near(d.RetryAfter, 100*time.Millisecond, 10*time.Millisecond) {
			t.Fatalf("cost 4 with 3 left: %+v, want refused, RetryAfter ≈ 100ms", d)
		}
		if c.Kind() == kv.KindExternal { // the embedded mode keeps its buckets in process, not in the kv
			ttl, err := c.PTTL(context.Background(), k).Result()
			if err != nil || !near(ttl, 700*time.Millisecond, 50*time.Millisecond) {
				t.Fatalf("PTTL = %v, %v; want ≈ 700ms, the time to refill", ttl, err)
			}
		}
		time.Sleep(800 * time.Millisecond)
		if c.Kind() == kv.KindExternal {
			if n, _ := c.Exists(context.Background(), k).Result(); n != 0 {
				t.Fatal("a full bucket's key outlived its refill time")
			}
		}
		if d := allow(t, l, k, rule, rule.Burst); !d.Allowed {
			t.Fatalf("after the refill time: %+v, want a full bucket", d)
		}
	})
}

func TestAllowRejectsBadInput(t *testing.T) {
	l := ratelimit.New(nil, ratelimit.FailOpen, nil) // never reaches the store
	ctx := context.Background()
	cases := []struct {
		name string
		rule ratelimit.Rule
		cost int
		want error
	}{
		{"cost above burst", ratelimit.Rule{Rate: 1, Burst: 5}, 6, ratelimit.ErrCostExceedsBurst},
		{"zero cost", ratelimit.Rule{Rate: 1, Burst: 5}, 0, ratelimit.ErrInvalidRule},
		{"zero rate", ratelimit.Rule{Rate: 0, Burst: 5}, 1, ratelimit.ErrInvalidRule},
		{"zero burst", ratelimit.Rule{Rate: 1, Burst: 0}, 1, ratelimit.ErrInvalidRule},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := l.Allow(ctx, "k", tc.rule, tc.cost)
			if !errors.Is(err, tc.want) || d.Allowed || d.RetryAfter != 0 {
				t.Fatalf("Allow = %+v, %v; want refused, no RetryAfter, %v", d, err, tc.want)
			}
		})
	}
}

// TestAllowNeverOverGrants hammers one bucket from many goroutines: with
// next to no refill, exactly Burst/cost requests may pass, however the
// calls interleave.
func TestAllowNeverOverGrants(t *testing.T) {
	for _, cost := range []int{1, 3} {
		t.Run(fmt.Sprintf("cost=%d", cost), func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, c *kv.Client) {
				l := ratelimit.New(c, ratelimit.FailClosed, nil)
				rule := ratelimit.Rule{Rate: 0.0001, Burst: 100}
				k := key(t, "hot")
				var granted atomic.Int64
				var wg sync.WaitGroup
				for range 64 {
					wg.Go(func() {
						for range 20 {
							d, err := l.Allow(context.Background(), k, rule, cost)
							if err != nil {
								t.Error(err)
								return
							}
							if d.Allowed {
								granted.Add(int64(cost))
							}
						}
					})
				}
				wg.Wait()
				if want := int64(rule.Burst / cost * cost); granted.Load() != want {
					t.Fatalf("cost %d: granted %d tokens, want exactly %d", cost, granted.Load(), want)
				}
				if !l.Healthy() || l.Failures() != 0 {
					t.Fatalf("store failed %d times under load", l.Failures())
				}
			})
		})
	}
}

// TestAllowAfterScriptFlush checks the NOSCRIPT fallback, alone and in
// batches: a restarted or flushed Redis has forgotten the script.
func TestAllowAfterScriptFlush(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *kv.Client) {
		l := ratelimit.New(c, ratelimit.FailClosed, nil)
		rule := ratelimit.Rule{Rate: 1, Burst: 1}
		for _, callers := range []int{1, 32} {
			if err := c.ScriptFlush(context.Background()).Err(); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() {
					d, err := l.Allow(context.Background(), key(t, fmt.Sprint(callers, "/", i)), rule, 1)
					if err != nil || !d.Allowed {
						t.Errorf("fresh bucket: %+v, %v", d, err)
					}
				})
			}
			wg.Wait()
		}
		if l.Failures() != 0 {
			t.Fatalf("%d failures after SCRIPT FLUSH", l.Failures())
		}
	})
}

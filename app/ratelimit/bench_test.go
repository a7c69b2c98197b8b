package ratelimit_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

// BenchmarkAllow measures decisions per second and their latency, at
// several numbers of concurrent callers, in one run against: a real
// redis-server (the script, through the Go client), the embedded mode's
// in-process buckets, and the script on the embedded miniredis (what the
// embedded mode used before), so their ratios come from one machine state:
//
//	go test -run '^$' -bench . -benchtime 5s ./app/ratelimit/
//
// decisions/s is b.N over the wall time; p50/p99 are of single calls.
// The target is ≥ 50,000 decisions/s with p99 ≤ 1 ms against redis-server.
func BenchmarkAllow(b *testing.B) {
	rule := ratelimit.Rule{Rate: 20, Burst: 100}
	forEachBench(b, func(b *testing.B, l *ratelimit.Limiter, next func() string) {
		ctx := context.Background()
		measure(b, func() error {
			_, err := l.Allow(ctx, next(), rule, 1)
			return err
		})
	})
}

// BenchmarkCheck is BenchmarkAllow for a three-scope Check: one round
// trip, three buckets.
func BenchmarkCheck(b *testing.B) {
	limits := ratelimit.DefaultLimits()
	forEachBench(b, func(b *testing.B, l *ratelimit.Limiter, next func() string) {
		ctx := context.Background()
		measure(b, func() error {
			id := next()
			ids := map[string]string{ratelimit.ScopeIP: id, ratelimit.ScopeUser: id, ratelimit.ScopeTenant: id[:len(id)-2]}
			_, err := l.Check(ctx, ratelimit.ClassRead, ids, limits)
			return err
		})
	})
}

// forEachBench runs fn per backend and per number of callers, with keys
// spread over 10,000 buckets as real traffic would be.
func forEachBench(b *testing.B, fn func(b *testing.B, l *ratelimit.Limiter, next func() string)) {
	backends := []struct {
		name, url string
		limiter   func(c *kv.Client) *ratelimit.Limiter
	}{
		{"redis", kvtest.URL(b) + "?pool_size=64", func(c *kv.Client) *ratelimit.Limiter { return ratelimit.New(c, ratelimit.FailClosed, b.Logf) }},
		{"in-process", "", func(c *kv.Client) *ratelimit.Limiter { return ratelimit.New(c, ratelimit.FailClosed, b.Logf) }},
		{"miniredis-lua", "", func(c *kv.Client) *ratelimit.Limiter { return ratelimit.NewScript(c, ratelimit.FailClosed, b.Logf) }},
	}
	for _, be := range backends {
		c, err := kv.Open(context.Background(), be.url)
		if err != nil {
			b.Fatal(err)
		}
		l := be.limiter(c)
		var n atomic.Uint64
		next := func() string { return "bench-" + strconv.FormatUint(n.Add(1)%10000, 10) }
		for _, callers := range []int{2, 8, 16, 32, 64} {
			b.Run(fmt.Sprintf("%s/callers=%d", be.name, callers), func(b *testing.B) { fn(b, l, next) })
		}
		if l.Failures() != 0 {
			b.Errorf("%s: %d store failures", be.name, l.Failures())
		}
		c.Close()
	}
}

// measure runs op b.N times from callers goroutines (taken from the
// sub-benchmark name, rounded up to a multiple of GOMAXPROCS) and reports throughput and latency percentiles.
func measure(b *testing.B, op func() error) {
	_, n, _ := strings.Cut(b.Name(), "callers=")
	callers, err := strconv.Atoi(n)
	if err != nil {
		b.Fatalf("benchmark %s: no callers=N in the name", b.Name())
	}
	b.SetParallelism((callers + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	var mu sync.Mutex
	var all []time.Duration
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		for pb.Next() {
			t0 := time.Now()
			if err := op(); err != nil {
				b.Error(err)
				return
			}
			lat = append(lat, time.Since(t0))
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(all)
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "decisions/s")
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(all[len(all)*999/1000].Microseconds()), "p99.9-µs")
	b.ReportMetric(float64(all[len(all)-1].Microseconds()), "max-µs")
	b.ReportMetric(0, "ns/op") // wall time per op across callers; decisions/s says it better
}

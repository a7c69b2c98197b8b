package discuss_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// BenchmarkParallelMode compares a parallel turn of N personas with the
// slowest of them answering alone (single mode), interleaved run by run.
// The personas stream through a scripted provider whose speed differs per
// persona, so the engine's own overhead and concurrency are what is
// measured. Reported: parallel_vs_slowest (target <= 1.2).
//
//	go test -run '^$' -bench ParallelMode -benchtime 20x ./app/discuss/
func BenchmarkParallelMode(b *testing.B) {
	for _, n := range []int{2, 4, 8} {
		b.Run(fmt.Sprintf("personas=%d", n), func(b *testing.B) {
			names := make([]string, n)
			for i := range names {
				names[i] = fmt.Sprintf("P%d", i)
			}
			f := newFixture(b, names...)
			for i, name := range names {
				// 40 words; persona i waits (i+1) ms between words: the last is slowest.
				f.chat.replies[name] = []string{strings.Repeat("word ", 40)}
				f.chat.steps[name] = time.Duration(i+1) * time.Millisecond
			}
			slowest := f.discussion(b, store.ModeSingle, names[n-1])
			all := f.discussion(b, store.ModeParallel, names...)
			var single, parallel time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				single += f.timeTurn(b, slowest)
				parallel += f.timeTurn(b, all)
			}
			b.StopTimer()
			b.ReportMetric(float64(single.Milliseconds())/float64(b.N), "slowest-single-ms")
			b.ReportMetric(float64(parallel.Milliseconds())/float64(b.N), "parallel-ms")
			b.ReportMetric(float64(parallel)/float64(single), "parallel_vs_slowest")
		})
	}
}

func (f *fixture) timeTurn(b *testing.B, d store.Discussion) time.Duration {
	start := time.Now()
	if _, _, err := f.eng.Post(context.Background(), d, "u1", "go"); err != nil {
		b.Fatal(err)
	}
	for f.eng.Running(f.tenantID, d.ID) != "" {
		time.Sleep(200 * time.Microsecond)
	}
	return time.Since(start)
}

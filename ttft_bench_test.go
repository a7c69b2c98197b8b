package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

// BenchmarkTTFT measures what nyxCore adds to a streamed reply: the same
// prompt to the same real Ollama model (100 tokens), 50 streams at once, alternately
// straight to Ollama and through nyxCore (post a message to a discussion,
// read the reply from its SSE stream). Reported: p50/p99 time to first
// token on both paths and the added time, and the ratio of total stream
// times. Targets: +2 ms p50, +10 ms p99, totals within 1 %.
//
//	go test -run '^$' -bench TTFT -benchtime 6x .
func BenchmarkTTFT(b *testing.B) {
	streams := benchStreams()
	// One generation slot per stream: with Ollama's default single slot the
	// streams queue and both paths measure their place in the queue.
	ollama := ollamatest.StartParallel(b, streams)
	// Request limits would throttle one user posting 50 turns at once.
	s := serve(b, cleanEnv("NYX_OLLAMA_HOST="+ollama.URL(), "NYX_RATELIMIT_ENABLED=false"), b.TempDir())
	_, tok := s.signUp(b, "bench@example.com")
	s.api(b, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "bench", "name": "Bench"})
	_, p := s.api(b, "POST", "/api/nyx/tenants/bench/personas", tok, map[string]any{"name": "Tiny", "provider_id": "local-ollama", "model": ollamatest.ModelTiny,
		"system_prompt": "You are Tiny.", "options": map[string]any{"num_ctx": 512, "max_tokens": 100}}) // the same num_ctx both ways: a change would reload the model
	// Fresh discussions each round: a persona also sees its earlier replies,
	// and the direct call has no history to send.
	fresh := func() []string {
		ids := make([]string, streams)
		for i := range ids {
			_, d := s.api(b, "POST", "/api/nyx/tenants/bench/discussions", tok, map[string]any{"mode": "single", "persona_ids": []any{p["id"]}})
			ids[i] = d["id"].(string)
		}
		return ids
	}
	u, _ := url.Parse(ollama.URL())
	direct := api.NewClient(u, http.DefaultClient)
	var nyxTTFT, ollamaTTFT, nyxTotal, ollamaTotal []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, t := runConcurrently(streams, func(j int) (time.Duration, time.Duration, error) { return directStream(direct) })
		ollamaTTFT, ollamaTotal = append(ollamaTTFT, f...), append(ollamaTotal, t...)
		b.StopTimer()
		ids := fresh()
		b.StartTimer()
		f, t = runConcurrently(streams, func(j int) (time.Duration, time.Duration, error) { return nyxStream(s, tok, ids[j]) })
		nyxTTFT, nyxTotal = append(nyxTTFT, f...), append(nyxTotal, t...)
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(pct(ollamaTTFT, 50)), "ollama-ttft-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 50)), "nyx-ttft-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 50)-pct(ollamaTTFT, 50)), "added-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 99)-pct(ollamaTTFT, 99)), "added-p99-ms")
	b.ReportMetric(float64(sum(nyxTotal))/float64(sum(ollamaTotal)), "total-ratio")
}

func runConcurrently(n int, f func(int) (time.Duration, time.Duration, error)) ([]time.Duration, []time.Duration) {
	ttft, total := make([]time.Duration, n), make([]time.Duration, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for j := 0; j < n; j++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, b, err := f(j)
			if err != nil {
				errs <- err
			}
			ttft[j], total[j] = a, b
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		panic(err)
	}
	return ttft, total
}

func directStream(c *api.Client) (time.Duration, time.Duration, error) {
	start := time.Now()
	var first time.Duration
	stream := true
	err := c.Chat(context.Background(), &api.ChatRequest{Model: ollamatest.ModelTiny, Stream: &stream,
		Messages: []api.Message{{Role: "system", Content: "You are Tiny."}, {Role: "user", Content: "hello"}},
		Options:  map[string]any{"num_ctx": 512, "num_predict": 100}}, func(r api.ChatResponse) error {
		if first == 0 && r.Message.Content != "" {
			first = time.Since(start)
		}
		return nil
	})
	return first, time.Since(start), err
}

// nyxStream subscribes to the discussion, posts, and times the first delta
// and the end of the turn.
func nyxStream(s *server, tok, id string) (time.Duration, time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.base+"/api/nyx/tenants/bench/discussions/"+id+"/events", nil)
	req.Header.Set("Authorization", tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	start := time.Now()
	post, _ := http.NewRequest("POST", s.base+"/api/nyx/tenants/bench/discussions/"+id+"/messages", strings.NewReader(`{"content":"hello"}`))
	post.Header.Set("Authorization", tok)
	pres, err := http.DefaultClient.Do(post)
	if err != nil {
		return 0, 0, err
	}
	pres.Body.Close()
	if pres.StatusCode != 202 {
		return 0, 0, fmt.Errorf("post: %d", pres.StatusCode)
	}
	var first time.Duration
	event := ""
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			event = v
		}
		if !strings.HasPrefix(line, "data: ") {
			continue
		}
		if event == "delta" && first == 0 {
			first = time.Since(start)
		}
		if event == "turn" && (strings.Contains(line, `"done"`) || strings.Contains(line, `"error"`)) {
			return first, time.Since(start), nil
		}
	}
	return first, time.Since(start), fmt.Errorf("stream ended early: %v", sc.Err())
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// benchStreams is 50, or NYX_BENCH_STREAMS for exploring.
func benchStreams() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("NYX_BENCH_STREAMS"), &n); err == nil && n > 0 {
		return n
	}
	return 50
}

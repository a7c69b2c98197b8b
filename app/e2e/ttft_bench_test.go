package e2e

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
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

// BenchmarkTTFT measures what nyxCore adds to the time to first token at
// 50 concurrent streams: the same prompt to the same real Ollama model
// (100-token replies), straight to Ollama or through nyxCore (post a
// message to a discussion, read the reply from its SSE stream). 50 workers
// start at random offsets within one stream's length and then start a new
// stream as soon as theirs ends, so every stream starts while about 50
// others run, as on a busy server. A worker alternates the paths stream by
// stream, so at any moment about half the streams take each path and both
// see the same load (runs interleaved at the finest grain); streams started
// while concurrency ramps up are not counted. Reported: p50/p99 time to
// first token on both paths, the added time, and the ratio of mean stream
// times (a stream ends with Ollama's done chunk, or with the reply's final
// message event). Targets: +2 ms p50, +10 ms p99, totals within 1 %.
// BenchmarkTTFTBurst is the harsher case of 50 streams started at the same
// instant.
//
//	go test -run '^$' -bench 'TTFT$' -benchtime 4x ./app/e2e/
func BenchmarkTTFT(b *testing.B) {
	e := ttftSetup(b)
	var ttft, total [2][]time.Duration // [direct, nyx]
	rng := rand.New(rand.NewPCG(1, 2))
	// The length of a stream among 50 spreads the starts.
	_, totals := runConcurrently(e.streams, func(int) (time.Duration, time.Duration, error) { return directStream(e.direct) })
	one := pct(totals, 50)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		offsets := make([]time.Duration, e.streams)
		for j := range offsets {
			offsets[j] = time.Duration(rng.Int64N(int64(one)))
		}
		b.StopTimer()
		ids := make(chan string, e.streams*8)
		for range cap(ids) {
			ids <- e.discussion(b)
		}
		b.StartTimer()
		// Worker j's n-th stream goes through nyxCore when j+n is odd, so at
		// any moment about half of the 50 streams take each path and both
		// see the same load on Ollama.
		f, t := steady(offsets, 5*one, func(j, n int) (int, time.Duration, time.Duration, error) {
			if (j+n)%2 == 0 {
				a, t, err := directStream(e.direct)
				return 0, a, t, err
			}
			select {
			case id := <-ids:
				a, t, err := nyxStream(e.s, e.tok, id)
				return 1, a, t, err
			default:
				return 1, 0, 0, errNoDiscussion
			}
		})
		for k := range 2 {
			ttft[k], total[k] = append(ttft[k], f[k]...), append(total[k], t[k]...)
		}
	}
	b.StopTimer()
	e.report(b, ttft[0], ttft[1], total[0], total[1])
}

// BenchmarkTTFTBurst is BenchmarkTTFT with all 50 streams of a round
// started at the same instant: every request queues behind the others, on
// Ollama's side and on nyxCore's.
//
//	go test -run '^$' -bench TTFTBurst -benchtime 6x ./app/e2e/
func BenchmarkTTFTBurst(b *testing.B) {
	e := ttftSetup(b)
	var nyxTTFT, ollamaTTFT, nyxTotal, ollamaTotal []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, t := runConcurrently(e.streams, func(j int) (time.Duration, time.Duration, error) { return directStream(e.direct) })
		ollamaTTFT, ollamaTotal = append(ollamaTTFT, f...), append(ollamaTotal, t...)
		b.StopTimer()
		ids := make([]string, e.streams)
		for j := range ids {
			ids[j] = e.discussion(b)
		}
		b.StartTimer()
		f, t = runConcurrently(e.streams, func(j int) (time.Duration, time.Duration, error) { return nyxStream(e.s, e.tok, ids[j]) })
		nyxTTFT, nyxTotal = append(nyxTTFT, f...), append(nyxTotal, t...)
	}
	b.StopTimer()
	e.report(b, ollamaTTFT, nyxTTFT, ollamaTotal, nyxTotal)
}

var errNoDiscussion = errors.New("benchmark: out of fresh discussions")

// benchClient is the HTTP client of both paths: enough idle connections
// that 50 workers reuse theirs instead of dialling for every stream.
var benchClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}

type ttftEnv struct {
	streams int
	s       *server
	tok     string
	persona string
	direct  *api.Client
}

// ttftSetup starts a real Ollama with one generation slot per stream (with
// its default single slot the streams queue and both paths measure their
// place in the queue) and nyxCore in front of it, with a tenant and a
// persona of the tiny model.
func ttftSetup(b *testing.B) *ttftEnv {
	streams := benchStreams()
	// NYX_BENCH_OLLAMA_CPUS (a taskset CPU list) pins Ollama and its runner,
	// to separate what nyxCore adds from its competing with a CPU-bound
	// runner for the same cores; by default nothing is pinned.
	var ollama *ollamatest.Server
	if cpus := os.Getenv("NYX_BENCH_OLLAMA_CPUS"); cpus != "" {
		ollama = ollamatest.StartParallelOn(b, streams, cpus)
	} else {
		ollama = ollamatest.StartParallel(b, streams)
	}
	// Request limits would throttle one user posting 50 turns at once.
	s := serve(b, cleanEnv("NYX_OLLAMA_HOST="+ollama.URL(), "NYX_RATELIMIT_ENABLED=false"), b.TempDir())
	_, tok := s.signUp(b, "bench@example.com")
	s.api(b, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "bench", "name": "Bench"})
	_, p := s.api(b, "POST", "/api/nyx/tenants/bench/personas", tok, map[string]any{"name": "Tiny", "provider_id": "local-ollama", "model": ollamatest.ModelTiny,
		"system_prompt": "You are Tiny.", "options": map[string]any{"num_ctx": 512, "max_tokens": 100}}) // the same num_ctx both ways: a change would reload the model
	u, _ := url.Parse(ollama.URL())
	return &ttftEnv{streams: streams, s: s, tok: tok, persona: p["id"].(string), direct: api.NewClient(u, benchClient)}
}

// discussion is a fresh one: a persona also sees its earlier replies, and
// the direct call has no history to send.
func (e *ttftEnv) discussion(b *testing.B) string {
	_, d := e.s.api(b, "POST", "/api/nyx/tenants/bench/discussions", e.tok, map[string]any{"mode": "single", "persona_ids": []any{e.persona}})
	return d["id"].(string)
}

func (e *ttftEnv) report(b *testing.B, ollamaTTFT, nyxTTFT, ollamaTotal, nyxTotal []time.Duration) {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(pct(ollamaTTFT, 50)), "ollama-ttft-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 50)), "nyx-ttft-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 50)-pct(ollamaTTFT, 50)), "added-p50-ms")
	b.ReportMetric(ms(pct(nyxTTFT, 99)-pct(ollamaTTFT, 99)), "added-p99-ms")
	b.ReportMetric(float64(sum(nyxTotal))/float64(len(nyxTotal))/(float64(sum(ollamaTotal))/float64(len(ollamaTotal))), "total-ratio")
	b.ReportMetric(float64(len(nyxTTFT)), "nyx-streams")
	b.ReportMetric(float64(len(ollamaTTFT)), "ollama-streams")
}

// steady runs one worker per offset: each waits its offset, then runs
// streams back to back until phase has passed since the start; f says
// which path (0 or 1) its stream took. It returns, per path, the times of
// the streams that started after every worker had started one and had
// finished it (full concurrency), and fails on the first error.
func steady(offsets []time.Duration, phase time.Duration, f func(j, n int) (int, time.Duration, time.Duration, error)) ([2][]time.Duration, [2][]time.Duration) {
	begin := time.Now()
	var ramp time.Duration
	for _, o := range offsets {
		ramp = max(ramp, o)
	}
	var mu sync.Mutex
	var ttfts, totals [2][]time.Duration
	var firstErr error
	var wg sync.WaitGroup
	for j, o := range offsets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(o)
			for n := 0; time.Since(begin) < phase; n++ {
				started := time.Since(begin)
				path, a, t, err := f(j, n)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil && n > 0 && started > ramp {
					ttfts[path], totals[path] = append(ttfts[path], a), append(totals[path], t)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		panic(firstErr)
	}
	return ttfts, totals
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
	res, err := benchClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer res.Body.Close()
	start := time.Now()
	post, _ := http.NewRequest("POST", s.base+"/api/nyx/tenants/bench/discussions/"+id+"/messages", strings.NewReader(`{"content":"hello"}`))
	post.Header.Set("Authorization", tok)
	pres, err := benchClient.Do(post)
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
		// The stream ends when the reply is complete (its final message
		// event), as the direct one ends with Ollama's done chunk.
		if event == "message" && strings.Contains(line, `"role":"assistant"`) && !strings.Contains(line, `"status":"streaming"`) {
			if !strings.Contains(line, `"status":"done"`) {
				return 0, 0, fmt.Errorf("reply ended: %s", line)
			}
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

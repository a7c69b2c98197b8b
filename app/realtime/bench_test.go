package realtime

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

const benchClients = 1000

// BenchmarkFanoutSSE streams one topic through ServeSSE to 1,000 real HTTP
// clients on loopback and publishes 200 events at 50 Hz. Each event carries
// its publish time; clients measure delivery latency. It fails if any client
// misses or reorders an event.
func BenchmarkFanoutSSE(b *testing.B) {
	const events, interval = 200, 20 * time.Millisecond
	raiseOpenFiles(b, 3*benchClients+100)
	for range b.N {
		h := New(Options{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = h.ServeSSE(w, r, topicA)
		}))
		tr := &http.Transport{MaxIdleConnsPerHost: -1, DisableCompression: true}
		client := &http.Client{Transport: tr}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)

		latencies := make([][]time.Duration, benchClients)
		errs := make(chan error, benchClients)
		var connected, done sync.WaitGroup
		sem := make(chan struct{}, 64) // do not flood the accept queue
		for i := range benchClients {
			connected.Add(1)
			done.Go(func() {
				sem <- struct{}{}
				resp, err := client.Do(must(http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)))
				<-sem
				connected.Done()
				if err != nil {
					errs <- err
					return
				}
				defer resp.Body.Close()
				latencies[i], err = readTimed(bufio.NewReader(resp.Body), events)
				if err != nil {
					errs <- fmt.Errorf("client %d: %w", i, err)
				}
			})
		}
		connected.Wait()
		for h.Stats().Subscribers < benchClients {
			time.Sleep(time.Millisecond)
		}

		b.ResetTimer()
		tk := time.NewTicker(interval)
		for n := range events {
			<-tk.C
			if err := h.Publish(topicA, "message", timed{T: time.Now().UnixNano(), N: n}); err != nil {
				b.Fatal(err)
			}
		}
		tk.Stop()
		done.Wait()
		b.StopTimer()
		cancel()
		close(errs)
		for err := range errs {
			b.Error(err)
		}

		var all []time.Duration
		for _, l := range latencies {
			all = append(all, l...)
		}
		if lost := benchClients*events - len(all); lost != 0 {
			b.Errorf("%d events lost", lost)
		}
		slices.Sort(all)
		if len(all) > 0 {
			p50, p99, pmax := all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
			b.ReportMetric(ms(p50), "p50-ms")
			b.ReportMetric(ms(p99), "p99-ms")
			b.ReportMetric(ms(pmax), "max-ms")
			if p99 > 100*time.Millisecond {
				b.Logf("p99 %v is above the 100ms target", p99)
			}
		}
		b.ReportMetric(float64(h.Stats().Dropped), "dropped")
		h.Close()
		srv.Close()
		tr.CloseIdleConnections()
	}
}

type timed struct {
	T int64 `json:"t"` // publish time, Unix ns
	N int   `json:"n"`
}

// readTimed reads SSE frames until it has seen want "message" events,
// checking that they arrive in order, and returns their latencies.
func readTimed(r *bufio.Reader, want int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, want)
	for len(out) < want {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return out, err
		}
		data, ok := bytes.CutPrefix(line, []byte("data: "))
		if !ok {
			continue
		}
		now := time.Now()
		m, err := parseTimed(data)
		if err != nil {
			return out, err
		}
		if m.N != len(out) {
			return out, fmt.Errorf("got event %d, want %d", m.N, len(out))
		}
		out = append(out, now.Sub(time.Unix(0, m.T)))
	}
	return out, nil
}

// parseTimed decodes {"t":…,"n":…} by hand: the clients share the CPU with
// the server, and encoding/json would make them the bottleneck.
func parseTimed(data []byte) (timed, error) {
	var m timed
	_, rest, ok1 := bytes.Cut(data, []byte(`"t":`))
	ts, rest, ok2 := bytes.Cut(rest, []byte(`,"n":`))
	ns, _, ok3 := bytes.Cut(rest, []byte(`}`))
	if !ok1 || !ok2 || !ok3 {
		return m, fmt.Errorf("bad event data %q", data)
	}
	var err1, err2 error
	m.T, err1 = strconv.ParseInt(string(ts), 10, 64)
	m.N, err2 = strconv.Atoi(string(ns))
	return m, errors.Join(err1, err2)
}

// BenchmarkIdleSubscriberMemory measures what 1,000 idle ServeSSE streams
// cost the server: heap in use plus goroutine stacks, per stream. Clients are
// raw TCP connections that send one request and read the headers, so they add
// little beyond their socket (included in the figure).
func BenchmarkIdleSubscriberMemory(b *testing.B) {
	raiseOpenFiles(b, 2*benchClients+100)
	for range b.N {
		h := New(Options{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = h.ServeSSE(w, r, topicA)
		}))
		addr := srv.Listener.Addr().String()
		before := inUse()

		conns := make([]net.Conn, 0, benchClients)
		var hdr [512]byte
		for range benchClients {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				b.Fatal(err)
			}
			conns = append(conns, c)
			if _, err := c.Write([]byte("GET / HTTP/1.1\r\nHost: bench\r\n\r\n")); err != nil {
				b.Fatal(err)
			}
			for n := 0; !bytes.Contains(hdr[:n], []byte("\r\n\r\n")); {
				m, err := c.Read(hdr[n:])
				if err != nil {
					b.Fatal(err)
				}
				n += m
			}
		}
		if st := h.Stats(); st.Subscribers != benchClients {
			b.Fatalf("%d subscribers, want %d", st.Subscribers, benchClients)
		}
		after := inUse()
		b.ReportMetric(float64(after-before)/benchClients/1024, "KiB/subscriber")
		b.ReportMetric(float64(runtime.NumGoroutine())/benchClients, "goroutines/subscriber")

		for _, c := range conns {
			c.Close()
		}
		h.Close()
		srv.Close()
	}
}

// inUse returns heap in use plus goroutine stacks after a full collection.
func inUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}

// BenchmarkPublish measures one Publish to a topic whose subscribers all
// read as fast as they can.
func BenchmarkPublish(b *testing.B) {
	for _, subs := range []int{0, 1, 100} {
		b.Run(fmt.Sprintf("subscribers=%d", subs), func(b *testing.B) {
			h := New(Options{SubscriberBuffer: 1 << 16})
			defer h.Close()
			var wg sync.WaitGroup
			for range subs {
				s := must(h.Subscribe(topicA, ""))
				wg.Go(func() {
					for range s.Events() {
					}
				})
			}
			msg := map[string]string{"role": "assistant", "text": "hello"}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := h.Publish(topicA, "message", msg); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			h.Close()
			wg.Wait()
		})
	}
}

// BenchmarkPublishDelta measures appending a token to a pending delta.
func BenchmarkPublishDelta(b *testing.B) {
	h := New(Options{})
	defer h.Close()
	b.ReportAllocs()
	for i := range b.N {
		h.PublishDelta(topicA, "m1", "tok ")
		if i%1000 == 999 {
			h.Flush(topicA)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

package server_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/store"
)

// pullingOllama is an Ollama whose /api/pull answers with pull, in
// Ollama's NDJSON progress format; ended is closed when a pull's request
// is over (finished, or hung up on by nyxCore).
type pullingOllama struct {
	*httptest.Server
	ended chan struct{}
}

func startPullingOllama(t *testing.T, pull func(w http.ResponseWriter, r *http.Request)) *pullingOllama {
	return startStreamingOllama(t, "/api/pull", pull)
}

// startStreamingOllama is an Ollama with one model whose answers on path
// (/api/pull or /api/chat) come from stream; ended is closed when such a
// request is over.
func startStreamingOllama(t *testing.T, path string, stream func(w http.ResponseWriter, r *http.Request)) *pullingOllama {
	f := &pullingOllama{ended: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if answerOllamaInfo(w, r) {
			return
		}
		switch r.URL.Path {
		case path:
			defer close(f.ended)
			stream(w, r)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// progressLine is one NDJSON progress record of a pull.
func progressLine(done int) string {
	return fmt.Sprintf(`{"status":"downloading","digest":"sha256:%064d","total":1000000000,"completed":%d}`+"\n", 0, done)
}

// operatorPullEnv is an env whose operator Ollama is f, with a superuser
// "root" and the stream timing given.
func operatorPullEnv(t *testing.T, open func(t *testing.T) store.Store, f *pullingOllama, writeTimeout, heartbeat time.Duration) *env {
	e := configEnv(t, open, config.ModeEmbedded, func(c *config.Config) { c.Ollama.Host = f.URL })
	e.superuser()
	// Handlers read the timing per request; set before the first one.
	e.cfg.Realtime.WriteTimeout, e.cfg.Realtime.Heartbeat = writeTimeout, heartbeat
	return e
}

// TestPullStreamCutsOffStalledClient: a client that starts a model pull and
// then stops reading is cut off by the stream's write timeout, and nyxCore
// hangs up on Ollama, instead of the handler (and the pull) hanging on a
// full socket for as long as the client keeps its connection.
func TestPullStreamCutsOffStalledClient(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := startPullingOllama(t, func(w http.ResponseWriter, r *http.Request) {
				// Progress as fast as the client takes it, far more than
				// socket buffers hold, until nyxCore hangs up.
				for i := 0; i < 4_000_000 && r.Context().Err() == nil; i++ {
					if _, err := w.Write([]byte(progressLine(i))); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			})
			e := operatorPullEnv(t, b.open, f, 300*time.Millisecond, time.Hour)
			e.stallOn(t, "root", "/api/nyx/operator/models/pull", `{"host":"`+f.URL+`","model":"llama3.2:1b"}`)
			select {
			case <-f.ended:
			case <-time.After(15 * time.Second):
				t.Fatal("a client that stopped reading still holds the pull after 15s: the stream has no write timeout")
			}
		})
	}
}

// stallOn posts body to path as user over a raw connection, reads the
// status line and then nothing more, keeping the connection open: a
// client that stopped reading.
func (e *env) stallOn(t *testing.T, user, path, body string) {
	u, _ := url.Parse(e.url)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() }) // runs before the servers close
	conn.(*net.TCPConn).SetReadBuffer(4096)
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", e.expand(path), u.Host, e.token(user), len(body), body)
	status, err := bufio.NewReaderSize(conn, 64).ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		t.Fatalf("%s answer: %q %v", path, status, err)
	}
}

// TestTryStreamCutsOffStalledClient: a persona try-out whose client stops
// reading is cut off by the write timeout, and the model call is hung up
// on, instead of generating into a full socket.
func TestTryStreamCutsOffStalledClient(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := startStreamingOllama(t, "/api/chat", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-ndjson")
				chunk := []byte(`{"model":"llama3.2:1b","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"` +
					strings.Repeat("token ", 20) + `"},"done":false}` + "\n")
				for i := 0; i < 4_000_000 && r.Context().Err() == nil; i++ {
					if _, err := w.Write(chunk); err != nil {
						return
					}
					w.(http.Flusher).Flush()
				}
			})
			e := configEnv(t, b.open, config.ModeEmbedded, func(c *config.Config) { c.Ollama.Host = f.URL })
			e.cfg.Realtime.WriteTimeout, e.cfg.Realtime.Heartbeat = 300*time.Millisecond, time.Hour
			id := e.persona("Talker", "llama3.2:1b", nil)
			e.stallOn(t, "carol", "/api/nyx/tenants/acme/personas/"+id+"/try", `{"message":"talk forever"}`)
			select {
			case <-f.ended:
			case <-time.After(15 * time.Second):
				t.Fatal("a client that stopped reading still holds the try-out after 15s: the stream has no write timeout")
			}
		})
	}
}

// TestPullStreamHeartbeats: a pull that is quiet for a while (Ollama
// verifying a layer, say) still sends comment lines, so proxies and
// browsers do not close the stream as idle; the pull then finishes.
func TestPullStreamHeartbeats(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := startPullingOllama(t, func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte(progressLine(1)))
				w.(http.Flusher).Flush()
				time.Sleep(700 * time.Millisecond)
				w.Write([]byte(`{"status":"success"}` + "\n"))
			})
			e := operatorPullEnv(t, b.open, f, 5*time.Second, 100*time.Millisecond)
			req, _ := http.NewRequest("POST", e.url+"/api/nyx/operator/models/pull", strings.NewReader(`{"host":"`+f.URL+`","model":"llama3.2:1b"}`))
			req.Header.Set("Authorization", e.token("root"))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var pings int
			var events []string
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), ":") {
					pings++
				}
				if v, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
					events = append(events, v)
				}
			}
			if res.StatusCode != 200 || len(events) < 2 || events[0] != "progress" || events[len(events)-1] != "done" {
				t.Fatalf("pull: %d, events %v", res.StatusCode, events)
			}
			if pings < 3 {
				t.Fatalf("%d heartbeats during a pull quiet for 700ms with a 100ms heartbeat", pings)
			}
		})
	}
}

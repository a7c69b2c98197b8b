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
	f := &pullingOllama{ended: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/version":
			w.Write([]byte(`{"version":"0.17.4"}`))
		case "/api/tags":
			w.Write([]byte(`{"models":[]}`))
		case "/api/pull":
			defer close(f.ended)
			pull(w, r)
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
			u, _ := url.Parse(e.url)
			conn, err := net.Dial("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { conn.Close() }) // runs before the servers close
			conn.(*net.TCPConn).SetReadBuffer(4096)
			body := `{"host":"` + f.URL + `","model":"llama3.2:1b"}`
			fmt.Fprintf(conn, "POST /api/nyx/operator/models/pull HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", u.Host, e.token("root"), len(body), body)
			status, err := bufio.NewReaderSize(conn, 64).ReadString('\n')
			if err != nil || !strings.Contains(status, " 200 ") {
				t.Fatalf("pull answer: %q %v", status, err)
			}
			// The client reads nothing more and keeps the connection open.
			select {
			case <-f.ended:
			case <-time.After(15 * time.Second):
				t.Fatal("a client that stopped reading still holds the pull after 15s: the stream has no write timeout")
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

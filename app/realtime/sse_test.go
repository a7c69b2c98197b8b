package realtime

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sseServer serves ServeSSE for the topic in ?topic= and reports what each
// handler returned.
type sseServer struct {
	*httptest.Server
	hub    *Hub
	errs   chan error
	client *http.Client
}

// newSSEServer starts a real HTTP server on 127.0.0.1. With small set, both
// ends of every connection get tiny socket buffers, so a client that stops
// reading blocks the handler's writes quickly.
func newSSEServer(t testing.TB, h *Hub, small bool) *sseServer {
	t.Helper()
	s := &sseServer{hub: h, errs: make(chan error, 100)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h.ServeSSE(w, r, r.URL.Query().Get("topic"))
		if errors.Is(err, ErrClosed) {
			http.Error(w, "closed", http.StatusServiceUnavailable)
		}
		s.errs <- err
	}))
	dialer := &net.Dialer{}
	if small {
		s.Listener = smallBuffers{s.Listener}
	}
	s.Start()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if tc, ok := c.(*net.TCPConn); ok && small {
			_ = tc.SetReadBuffer(32 << 10)
		}
		return c, err
	}}
	s.client = &http.Client{Transport: tr}
	t.Cleanup(func() {
		h.Close() // ends the streams, so Close below does not wait for them
		s.Close()
		tr.CloseIdleConnections()
	})
	return s
}

type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// handlerResult waits for the next handler to return.
func (s *sseServer) handlerResult(t testing.TB) error {
	t.Helper()
	select {
	case err := <-s.errs:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("handler did not return within 5s")
	}
	return nil
}

type sseFrame struct{ ID, Event, Data, Comment string }

type sseConn struct {
	resp   *http.Response
	r      *bufio.Reader
	cancel context.CancelFunc
}

// connect opens a stream; last, when set, goes in the Last-Event-ID header.
func (s *sseServer) connect(t testing.TB, query url.Values, last string) *sseConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/?"+query.Encode(), nil)
	if last != "" {
		req.Header.Set("Last-Event-ID", last)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("connect: %v", err)
	}
	c := &sseConn{resp: resp, r: bufio.NewReader(resp.Body), cancel: cancel}
	t.Cleanup(c.close)
	return c
}

func topicQuery(topic string) url.Values { return url.Values{"topic": {topic}} }

func (c *sseConn) close() {
	c.cancel()
	c.resp.Body.Close()
}

// read returns the next frame; comments come back as frames of their own.
func (c *sseConn) read() (sseFrame, error) {
	var f sseFrame
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return f, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			if f != (sseFrame{}) {
				return f, nil
			}
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "":
			f.Comment = value
		case "id":
			f.ID = value
		case "event":
			f.Event = value
		case "data":
			if f.Data != "" {
				f.Data += "\n"
			}
			f.Data += value
		}
	}
}

func (c *sseConn) next(t testing.TB) sseFrame {
	t.Helper()
	f, err := c.read()
	if err != nil {
		t.Fatalf("read frame: %v", err)
	}
	return f
}

func TestSSEStreamsAndResumes(t *testing.T) {
	noLeaks(t)
	h := New(Options{})
	s := newSSEServer(t, h, false)

	c := s.connect(t, topicQuery(topicA), "")
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"} {
		if got := c.resp.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	waitFor(t, "the subscriber", func() bool { return h.Stats().Subscribers == 1 })
	for i := range 5 {
		publish(t, h, topicA, "message", map[string]int{"n": i})
	}
	var last string
	for i := range 5 {
		f := c.next(t)
		if f.Event != "message" || f.Data != `{"n":`+strconv.Itoa(i)+`}` || f.ID == "" {
			t.Fatalf("frame %d = %+v", i, f)
		}
		last = f.ID
	}

	// Disconnect: the handler returns and the subscriber goes away.
	c.close()
	if err := s.handlerResult(t); err != nil {
		t.Errorf("handler returned %v after the client left", err)
	}
	waitFor(t, "the unsubscribe", func() bool { return h.Stats().Subscribers == 0 })

	// Missed while away, then reconnect with Last-Event-ID.
	for i := 5; i < 8; i++ {
		publish(t, h, topicA, "message", map[string]int{"n": i})
	}
	tests := []struct {
		name      string
		header    string
		query     string
		wantFirst string // event type, then data
	}{
		{"header", last, "", `message {"n":5}`},
		{"query parameter", "", last, `message {"n":5}`},
		{"header wins", last, formatID(h.epoch, 1), `message {"n":5}`},
		{"unknown epoch", "0other-3", "", `reset {"reason":"restarted"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := topicQuery(topicA)
			if tt.query != "" {
				q.Set("last_event_id", tt.query)
			}
			c := s.connect(t, q, tt.header)
			f := c.next(t)
			if got := f.Event + " " + f.Data; got != tt.wantFirst {
				t.Fatalf("first frame %q, want %q", got, tt.wantFirst)
			}
			c.close()
			if err := s.handlerResult(t); err != nil {
				t.Errorf("handler returned %v", err)
			}
		})
	}
}

func TestSSEHeartbeat(t *testing.T) {
	noLeaks(t)
	h := New(Options{Heartbeat: 20 * time.Millisecond})
	s := newSSEServer(t, h, false)
	c := s.connect(t, topicQuery(topicA), "")
	for range 2 {
		if f := c.next(t); f.Comment != "ping" {
			t.Fatalf("frame %+v, want a ping", f)
		}
	}
}

// TestSSEDroppedClientIsTold stalls a client until its subscriber overflows,
// then checks it gets everything that was buffered, in order, then the
// "dropped" frame, and that it can resume from its last id.
func TestSSEDroppedClientIsTold(t *testing.T) {
	noLeaks(t)
	h := New(Options{SubscriberBuffer: 4})
	s := newSSEServer(t, h, true)
	c := s.connect(t, topicQuery(topicA), "")
	waitFor(t, "the subscriber", func() bool { return h.Stats().Subscribers == 1 })

	payload := strings.Repeat("x", 4096)
	published := 0
	for h.Stats().Dropped == 0 {
		if published == 2000 {
			t.Fatal("subscriber never dropped")
		}
		publish(t, h, topicA, "message", payload)
		published++
	}
	var last string
	for {
		f := c.next(t)
		if f.Event == TypeDropped {
			if f.ID != "" {
				t.Errorf("dropped frame has id %q", f.ID)
			}
			break
		}
		if last != "" && seqOf(t, f.ID) != seqOf(t, last)+1 {
			t.Fatalf("id %s follows %s", f.ID, last)
		}
		last = f.ID
	}
	if _, err := c.read(); err != io.EOF {
		t.Errorf("after the dropped frame: %v, want EOF", err)
	}
	if err := s.handlerResult(t); !errors.Is(err, ErrDropped) {
		t.Errorf("handler returned %v, want ErrDropped", err)
	}
	t.Logf("dropped after %d published, client had %d", published, seqOf(t, last))

	c = s.connect(t, topicQuery(topicA), last)
	for seqOf(t, last) < uint64(published) {
		f := c.next(t)
		if f.Event != "message" || seqOf(t, f.ID) != seqOf(t, last)+1 {
			t.Fatalf("resumed frame %s %s after %s", f.ID, f.Event, last)
		}
		last = f.ID
	}
}

// TestSSEStuckClientTimesOut checks that a client that stops reading cannot
// hold a handler longer than the write timeout.
func TestSSEStuckClientTimesOut(t *testing.T) {
	noLeaks(t)
	h := New(Options{WriteTimeout: 100 * time.Millisecond, SubscriberBuffer: 10_000})
	s := newSSEServer(t, h, true)
	s.connect(t, topicQuery(topicA), "")
	waitFor(t, "the subscriber", func() bool { return h.Stats().Subscribers == 1 })

	payload := strings.Repeat("x", 4096)
	deadline := time.After(5 * time.Second)
	for {
		publish(t, h, topicA, "message", payload)
		select {
		case err := <-s.errs:
			if err == nil || errors.Is(err, ErrDropped) {
				t.Fatalf("handler returned %v, want a write error", err)
			}
			t.Logf("handler returned %v", err)
			return
		case <-deadline:
			t.Fatal("handler still blocked after 5s")
		case <-time.After(time.Millisecond):
		}
	}
}

func TestSSEHubCloseEndsStreams(t *testing.T) {
	noLeaks(t)
	h := New(Options{})
	s := newSSEServer(t, h, false)
	conns := make([]*sseConn, 3)
	for i := range conns {
		conns[i] = s.connect(t, topicQuery(topicA), "")
	}
	waitFor(t, "the subscribers", func() bool { return h.Stats().Subscribers == len(conns) })
	h.Close()
	for range conns {
		if err := s.handlerResult(t); err != nil {
			t.Errorf("handler returned %v", err)
		}
	}
	for _, c := range conns {
		if _, err := c.read(); err != io.EOF {
			t.Errorf("client read %v, want EOF", err)
		}
	}
	resp, err := s.client.Get(s.URL + "/?topic=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("after Close: status %d", resp.StatusCode)
	}
	s.handlerResult(t)
}

func TestAppendFrame(t *testing.T) {
	tests := []struct {
		ev   *Event
		want string
	}{
		{&Event{ID: "e-1", Type: "message", Data: []byte(`{"a":1}`)}, "id: e-1\nevent: message\ndata: {\"a\":1}\n\n"},
		{&Event{Type: "dropped", Data: []byte(`{}`)}, "event: dropped\ndata: {}\n\n"},
		{&Event{ID: "e-2", Type: "x", Data: []byte("[1,\r\n2]")}, "id: e-2\nevent: x\ndata: [1,\ndata: 2]\n\n"},
	}
	for _, tt := range tests {
		if got := string(appendFrame(nil, tt.ev)); got != tt.want {
			t.Errorf("appendFrame(%+v) = %q, want %q", tt.ev, got, tt.want)
		}
	}
}

// TestSSEOutlivesServerWriteTimeout checks, over HTTP/1.1 and HTTP/2, that a
// stream idles past both the server's WriteTimeout and the hub's per-write
// timeout and still delivers.
func TestSSEOutlivesServerWriteTimeout(t *testing.T) {
	for _, h2 := range []bool{false, true} {
		t.Run(map[bool]string{false: "HTTP/1.1", true: "HTTP/2"}[h2], func(t *testing.T) {
			noLeaks(t)
			h := New(Options{WriteTimeout: 50 * time.Millisecond})
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = h.ServeSSE(w, r, topicA)
			}))
			srv.Config.WriteTimeout = 100 * time.Millisecond
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			client := srv.Client()
			t.Cleanup(func() {
				h.Close()
				srv.Close()
				client.CloseIdleConnections()
			})
			resp, err := client.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if got := resp.ProtoMajor == 2; got != h2 {
				t.Fatalf("protocol %s", resp.Proto)
			}
			c := &sseConn{resp: resp, r: bufio.NewReader(resp.Body), cancel: func() {}}
			waitFor(t, "the subscriber", func() bool { return h.Stats().Subscribers == 1 })
			for i := range 2 {
				publish(t, h, topicA, "message", i)
				if f := c.next(t); f.Data != strconv.Itoa(i) {
					t.Fatalf("frame %+v", f)
				}
				time.Sleep(250 * time.Millisecond) // idle past both timeouts
			}
		})
	}
}

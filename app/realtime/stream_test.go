package realtime_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/realtime"
)

// TestStreamEventsAndHeartbeats: events are framed as SSE, a quiet stream
// gets heartbeats, and nothing is written after Close.
func TestStreamEventsAndHeartbeats(t *testing.T) {
	rec := httptest.NewRecorder()
	s, err := realtime.NewStream(context.Background(), rec, realtime.Options{Heartbeat: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send("progress", map[string]int{"n": 1}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(120 * time.Millisecond)
	s.Close()
	s.Close() // harmless
	body := rec.Body.String()
	if ct := rec.Header().Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(body, "event: progress\ndata: {\"n\":1}\n\n") {
		t.Errorf("first frame: %q", body)
	}
	if n := strings.Count(body, ": ping\n\n"); n < 2 {
		t.Errorf("%d heartbeats in 120ms at 20ms: %q", n, body)
	}
	if s.Context().Err() == nil {
		t.Error("the stream's context is still live after Close")
	}
	if err := s.Send("late", 1); err == nil {
		t.Error("Send after Close succeeded")
	}
	time.Sleep(60 * time.Millisecond)
	if rec.Body.String() != body {
		t.Errorf("written after Close: %q", strings.TrimPrefix(rec.Body.String(), body))
	}
}

// failingWriter is a client that went away after the headers.
type failingWriter struct{ *httptest.ResponseRecorder }

func (f failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestStreamWriteFailureEndsContext: once a write fails, the work feeding
// the stream is told through its Context, and later sends fail too.
func TestStreamWriteFailureEndsContext(t *testing.T) {
	var w http.ResponseWriter = failingWriter{httptest.NewRecorder()}
	s, err := realtime.NewStream(context.Background(), w, realtime.Options{Heartbeat: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send("delta", "x"); err == nil {
		t.Fatal("Send to a broken client succeeded")
	}
	select {
	case <-s.Context().Done():
	case <-time.After(time.Second):
		t.Fatal("the stream's context is live after a failed write")
	}
	if err := s.Send("delta", "y"); err == nil {
		t.Fatal("a second Send to a broken client succeeded")
	}
}

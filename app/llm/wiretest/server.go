// Package wiretest holds local HTTP servers that speak the exact wire format
// of the hosted model APIs nyxCore talks to (OpenAI chat completions,
// Anthropic messages, Gemini generateContent), so provider tests run the
// official SDKs against a real peer instead of mocking them.
//
// Each server checks what the real API checks (the key, the version header,
// the request body's shape, the model name, the context window), records the
// last request, and is scripted per test: the reply and how it is chunked,
// an error to return, or a stream that breaks in one of the ways real
// streams break. Servers are safe for concurrent use and close themselves
// when the test ends.
package wiretest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Request is what a server received.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// Body is the decoded JSON body, nil when there was none.
	Body map[string]any
	Raw  []byte
}

// Failure is an error reply. Each server renders it in its own API's error
// format.
type Failure struct {
	Status int
	// Type is OpenAI's error.type, Anthropic's error.type or Gemini's
	// error.status.
	Type string
	// Code is OpenAI's error.code or the reason of Gemini's ErrorInfo.
	Code    string
	Message string
	// RetryAfter, when set, is sent as the Retry-After header.
	RetryAfter string
}

// Script is how a server answers chat requests until the next SetScript.
type Script struct {
	// Reply is the text to stream, split into Chunks pieces (default 1).
	Reply  string
	Chunks int
	// Delay is the pause before each piece after the first.
	Delay time.Duration
	// PromptTokens and CompletionTokens are the usage reported; zero means
	// an estimate from the request and the reply.
	PromptTokens     int
	CompletionTokens int
	// Finish is the stop reason in the API's own word; empty is the API's
	// normal end of turn.
	Finish string
	// Fail returns an error status and body instead of a stream.
	Fail *Failure
	// StreamError sends an in-stream error event after the first piece.
	StreamError *Failure
	// Garbage sends a frame that is not valid JSON after the first piece.
	Garbage bool
	// Cut drops the TCP connection after the pieces, before the final event.
	Cut bool
	// EndEarly ends the HTTP response cleanly after the pieces, without the
	// final event.
	EndEarly bool
	// Hang stops after the first piece and waits until the client goes away.
	Hang bool
}

// Server is the part every fake API shares: the listener, the expected
// key, the script and the recorded requests.
type Server struct {
	srv    *httptest.Server
	prefix string
	key    string

	mu       sync.Mutex
	script   Script
	last     Request
	requests int
	gone     chan struct{}
	goneOnce sync.Once
}

// Option configures a server.
type Option func(*Server)

// WithPrefix mounts the API under a path prefix, as reverse proxies and
// OpenAI-compatible servers often do.
func WithPrefix(prefix string) Option {
	return func(s *Server) { s.prefix = "/" + strings.Trim(prefix, "/") }
}

// WithKey sets the API key the server accepts.
func WithKey(key string) Option {
	return func(s *Server) { s.key = key }
}

// DefaultKey is the key servers accept unless WithKey says otherwise. It is
// recognisable so tests can assert it never leaks into an error.
const DefaultKey = "sk-wiretest-SECRET-0123456789abcdef"

func newServer(t testing.TB, route func(*Server, http.ResponseWriter, *http.Request, Request), opts []Option) *Server {
	t.Helper()
	s := &Server{key: DefaultKey, gone: make(chan struct{}), script: Script{Reply: "Hello!"}}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := s.record(r)
		if !strings.HasPrefix(r.URL.Path, s.prefix+"/") {
			http.NotFound(w, r)
			return
		}
		req.Path = strings.TrimPrefix(r.URL.Path, s.prefix)
		route(s, w, r, req)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the server's root including the prefix, without a trailing slash.
func (s *Server) URL() string { return s.srv.URL + s.prefix }

// Key is the API key the server accepts.
func (s *Server) Key() string { return s.key }

// SetScript replaces the script for the following chat requests.
func (s *Server) SetScript(sc Script) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = sc
}

// Last returns the most recent request.
func (s *Server) Last() Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// Requests counts the requests received.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Gone is closed once a client went away in the middle of a stream.
func (s *Server) Gone() <-chan struct{} { return s.gone }

func (s *Server) currentScript() Script {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.script
}

func (s *Server) record(r *http.Request) Request {
	raw, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Raw: raw}
	if len(bytes.TrimSpace(raw)) > 0 {
		_ = json.Unmarshal(raw, &req.Body) // a non-JSON body stays nil; routes reject it
	}
	s.mu.Lock()
	s.last = req
	s.requests++
	s.mu.Unlock()
	return req
}

func (s *Server) markGone() { s.goneOnce.Do(func() { close(s.gone) }) }

// ClosedURL returns an http URL on which nothing listens, for testing a
// server that is down.
func ClosedURL(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("wiretest: listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("wiretest: close: %v", err)
	}
	return "http://" + addr
}

// stream is one scripted SSE reply in a provider's framing: the frames
// before the text, one per text piece, and the frames that end the turn.
type stream struct {
	head, pieces, tail []string
	garbage            string
	streamErr          string
}

// play writes st as an event stream, breaking it the way sc asks.
func (s *Server) play(w http.ResponseWriter, r *http.Request, sc Script, st stream) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	ctx := r.Context()
	if !s.write(ctx, w, st.head...) {
		return
	}
	for i, p := range st.pieces {
		if i > 0 && !s.wait(ctx, sc.Delay) {
			return
		}
		if !s.write(ctx, w, p) {
			return
		}
		if i > 0 {
			continue
		}
		switch {
		case sc.Garbage:
			s.write(ctx, w, st.garbage)
		case sc.StreamError != nil:
			s.write(ctx, w, st.streamErr)
			return
		case sc.Hang:
			s.wait(ctx, time.Minute)
			return
		}
	}
	switch {
	case sc.Cut:
		cut(w)
	case sc.EndEarly:
	default:
		s.write(ctx, w, st.tail...)
	}
}

// write sends frames and flushes; false when the client went away.
func (s *Server) write(ctx context.Context, w http.ResponseWriter, frames ...string) bool {
	for _, f := range frames {
		if _, err := io.WriteString(w, f); err != nil {
			s.markGone()
			return false
		}
	}
	w.(http.Flusher).Flush()
	if ctx.Err() != nil {
		s.markGone()
		return false
	}
	return true
}

// wait sleeps d; false (and Gone closed) when the client left first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		s.markGone()
		return false
	case <-t.C:
		return true
	}
}

// cut drops the connection without ending the chunked body, so the client
// reads an unexpected EOF, as when a proxy or the provider dies mid-stream.
func cut(w http.ResponseWriter) {
	w.(http.Flusher).Flush()
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	_ = conn.Close()
}

// pieces splits text into n parts of about equal length, on rune
// boundaries; their concatenation is text.
func pieces(text string, n int) []string {
	runes := []rune(text)
	if n < 1 {
		n = 1
	}
	if n > len(runes) {
		n = max(len(runes), 1)
	}
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, string(runes[i*len(runes)/n:(i+1)*len(runes)/n]))
	}
	return out
}

// tokens estimates a token count the way the servers bill: about four
// characters a token.
func tokens(s string) int { return (len(s) + 3) / 4 }

// mask renders a wrong key the way OpenAI echoes it: a prefix, stars and
// the last four characters, never the whole key.
func mask(key string) string {
	if len(key) <= 8 {
		return "****"
	}
	return key[:3] + strings.Repeat("*", 8) + key[len(key)-4:]
}

func writeJSON(w http.ResponseWriter, status int, header map[string]string, v any) {
	for k, val := range header {
		w.Header().Set(k, val)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only fixed shapes of maps, strings and numbers are encoded
	}
	return string(b)
}

// Model is a model a fake server offers.
type Model struct {
	ID string
	// ContextLength is the window in tokens; prompts above it are refused
	// the way the API refuses them. Zero means unlimited.
	ContextLength int
}

func findModel(models []Model, id string) (Model, bool) {
	for _, m := range models {
		if m.ID == id {
			return m, true
		}
	}
	return Model{}, false
}

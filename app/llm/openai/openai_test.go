package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/wiretest"
)

func newProvider(t *testing.T, base, key string) *Provider {
	t.Helper()
	p, err := New(Config{BaseURL: base, APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func hello(model string) llm.ChatRequest {
	return llm.ChatRequest{Model: model, Messages: []llm.Message{
		{Role: llm.RoleSystem, Content: "You are terse."}, {Role: llm.RoleUser, Content: "hi"}}}
}

// chat runs a chat and collects the deltas.
func chat(ctx context.Context, p *Provider, req llm.ChatRequest) ([]string, llm.Usage, error) {
	var parts []string
	u, err := p.Chat(ctx, req, func(s string) error { parts = append(parts, s); return nil })
	return parts, u, err
}

// noKey fails when the key shows in err's text, its formatted value or
// the text of its cause.
func noKey(t *testing.T, err error, key string) {
	t.Helper()
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	if cause := errors.Unwrap(err); cause != nil {
		texts = append(texts, cause.Error(), fmt.Sprintf("%#v", cause))
	}
	for _, s := range texts {
		if strings.Contains(s, key) {
			t.Fatalf("the key leaks into an error: %s", s)
		}
	}
}

func TestChatStreams(t *testing.T) {
	srv := wiretest.NewOpenAI(t)
	p := newProvider(t, srv.URL(), srv.Key())
	cases := []struct {
		name   string
		script wiretest.Script
		want   []string
		done   string
	}{
		{"one piece", wiretest.Script{Reply: "Hello!"}, []string{"Hello!"}, "stop"},
		{"pieces in order", wiretest.Script{Reply: "one two three four", Chunks: 4, Delay: 5 * time.Millisecond},
			[]string{"one ", "two t", "hree", " four"}, "stop"},
		{"unicode survives", wiretest.Script{Reply: "héllo wörld ✓", Chunks: 3}, []string{"héll", "o wö", "rld ✓"}, "stop"},
		{"length", wiretest.Script{Reply: "cut sh", Finish: "length"}, []string{"cut sh"}, "length"},
		{"other reasons pass through", wiretest.Script{Reply: "x", Finish: "content_filter"}, []string{"x"}, "content_filter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.script.PromptTokens, tc.script.CompletionTokens = 11, 7
			srv.SetScript(tc.script)
			parts, u, err := chat(context.Background(), p, hello("gpt-test"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(parts, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("deltas = %q, want %q", parts, tc.want)
			}
			if u.PromptTokens != 11 || u.CompletionTokens != 7 || u.DoneReason != tc.done {
				t.Fatalf("usage = %+v", u)
			}
			if u.TimeToFirstToken <= 0 || u.Total < u.TimeToFirstToken || !strings.HasPrefix(srv.URL(), "http://"+u.Host) {
				t.Fatalf("timings or host = %+v", u)
			}
		})
	}
}

func TestChatRequestBody(t *testing.T) {
	temp, topP, topK, seed := 0.2, 0.9, 40, 7
	opts := llm.Options{Temperature: &temp, TopP: &topP, TopK: &topK, Seed: &seed, MaxTokens: 99, Stop: []string{"END"}}
	cases := []struct {
		name     string
		official bool
		allow    []string
		want     map[string]any
		absent   []string
	}{
		{"OpenAI itself", true, nil,
			map[string]any{"max_completion_tokens": 99.0}, []string{"top_k", "max_tokens"}},
		{"a compatible server", false, []string{"top_k"},
			map[string]any{"max_tokens": 99.0, "top_k": 40.0}, []string{"max_completion_tokens"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := wiretest.NewOpenAI(t)
			srv.AllowParams = tc.allow
			p := newProvider(t, srv.URL(), srv.Key())
			p.official = tc.official
			req := hello("gpt-test")
			req.Options = opts
			if _, _, err := chat(context.Background(), p, req); err != nil {
				t.Fatal(err)
			}
			got := srv.Last()
			if got.Header.Get("Authorization") != "Bearer "+srv.Key() || got.Path != "/v1/chat/completions" {
				t.Fatalf("request %s with auth %q", got.Path, got.Header.Get("Authorization"))
			}
			b := got.Body
			msgs := b["messages"].([]any)
			first := msgs[0].(map[string]any)
			if len(msgs) != 2 || first["role"] != "system" || first["content"] != "You are terse." {
				t.Fatalf("messages = %v", msgs)
			}
			want := map[string]any{"model": "gpt-test", "stream": true, "temperature": 0.2, "top_p": 0.9, "seed": 7.0}
			for k, v := range tc.want {
				want[k] = v
			}
			for k, v := range want {
				if b[k] != v {
					t.Fatalf("%s = %v, want %v (body %s)", k, b[k], v, got.Raw)
				}
			}
			if so := b["stream_options"].(map[string]any); so["include_usage"] != true {
				t.Fatalf("stream_options = %v", so)
			}
			if stop := b["stop"].([]any); len(stop) != 1 || stop[0] != "END" {
				t.Fatalf("stop = %v", b["stop"])
			}
			for _, k := range tc.absent {
				if _, ok := b[k]; ok {
					t.Fatalf("%s was sent: %s", k, got.Raw)
				}
			}
		})
	}
}

func TestChatErrors(t *testing.T) {
	srv := wiretest.NewOpenAI(t)
	long := llm.ChatRequest{Model: "gpt-tiny", Messages: []llm.Message{{Role: llm.RoleUser, Content: strings.Repeat("word ", 200)}}}
	cases := []struct {
		name   string
		base   string
		key    string
		req    *llm.ChatRequest
		script wiretest.Script
		kind   llm.ErrorKind
		retry  time.Duration
	}{
		{name: "wrong key", key: "sk-wrong-key-0000000000", kind: llm.KindAuth},
		{name: "no key", key: "-", kind: llm.KindAuth},
		{name: "unknown model", req: ptr(hello("gpt-nope")), kind: llm.KindModelNotFound},
		{name: "rate limited", script: wiretest.Script{Fail: &wiretest.Failure{Status: 429, Type: "requests", Code: "rate_limit_exceeded",
			Message: "Rate limit reached for gpt-test", RetryAfter: "7"}}, kind: llm.KindRateLimited, retry: 7 * time.Second},
		{name: "context too long", req: &long, kind: llm.KindContextTooLong},
		{name: "vLLM's context error without a code", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "BadRequestError",
			Message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens."}}, kind: llm.KindContextTooLong},
		{name: "other bad request", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "invalid_request_error",
			Message: "Invalid value for 'temperature'"}}, kind: llm.KindInvalid},
		{name: "server error", script: wiretest.Script{Fail: &wiretest.Failure{Status: 500, Type: "server_error", Message: "boom"}}, kind: llm.KindUnavailable},
		{name: "overloaded", script: wiretest.Script{Fail: &wiretest.Failure{Status: 503, Type: "server_error", Message: "overloaded"}}, kind: llm.KindUnavailable},
		{name: "server down", base: wiretest.ClosedURL(t) + "/v1", kind: llm.KindUnavailable},
		{name: "garbage mid-stream", script: wiretest.Script{Reply: "abc", Chunks: 3, Garbage: true}, kind: llm.KindBadResponse},
		{name: "connection cut", script: wiretest.Script{Reply: "abc", Chunks: 3, Cut: true}, kind: llm.KindBadResponse},
		{name: "clean end without finish", script: wiretest.Script{Reply: "abc", Chunks: 3, EndEarly: true}, kind: llm.KindBadResponse},
		{name: "error inside the stream", script: wiretest.Script{Reply: "abc", Chunks: 3,
			StreamError: &wiretest.Failure{Type: "server_error", Message: "The server had an error"}}, kind: llm.KindUnavailable},
		{name: "a server that echoes the key", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "invalid_request_error",
			Message: "bad key " + wiretest.DefaultKey}}, kind: llm.KindInvalid},
		{name: "no messages", req: &llm.ChatRequest{Model: "gpt-test"}, kind: llm.KindInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, key, req := srv.URL(), srv.Key(), hello("gpt-test")
			if tc.base != "" {
				base = tc.base
			}
			if tc.key != "" {
				key = strings.TrimPrefix(tc.key, "-")
			}
			if tc.req != nil {
				req = *tc.req
			}
			srv.SetScript(tc.script)
			_, _, err := chat(context.Background(), newProvider(t, base, key), req)
			var le *llm.Error
			if !errors.As(err, &le) || !errors.Is(err, &llm.Error{Kind: tc.kind}) {
				t.Fatalf("err = %v, want kind %s", err, tc.kind)
			}
			if le.RetryAfter != tc.retry || le.Message == "" {
				t.Fatalf("retry after = %v, message %q", le.RetryAfter, le.Message)
			}
			t.Log(err)
			noKey(t, err, wiretest.DefaultKey)
			if key != "" {
				noKey(t, err, key)
			}
		})
	}
}

func TestChatStops(t *testing.T) {
	srv := wiretest.NewOpenAI(t)
	p := newProvider(t, srv.URL(), srv.Key())

	t.Run("cancel mid-stream", func(t *testing.T) {
		srv.SetScript(wiretest.Script{Reply: "slow reply", Chunks: 5, Hang: true})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		_, err := p.Chat(ctx, hello("gpt-test"), func(string) error { cancel(); return nil })
		if !errors.Is(err, llm.ErrCancelled) || time.Since(start) > 2*time.Second {
			t.Fatalf("err = %v after %v", err, time.Since(start))
		}
		waitGone(t, srv.Server)
	})
	t.Run("cancelled before the request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := chat(ctx, p, hello("gpt-test")); !errors.Is(err, llm.ErrCancelled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("onDelta error stops the stream", func(t *testing.T) {
		srv := wiretest.NewOpenAI(t)
		p := newProvider(t, srv.URL(), srv.Key())
		srv.SetScript(wiretest.Script{Reply: "a b c d e f", Chunks: 6, Delay: 100 * time.Millisecond})
		stop := errors.New("enough")
		n := 0
		_, err := p.Chat(context.Background(), hello("gpt-test"), func(string) error {
			if n++; n == 2 {
				return stop
			}
			return nil
		})
		if !errors.Is(err, stop) || n != 2 {
			t.Fatalf("err = %v after %d deltas", err, n)
		}
		waitGone(t, srv.Server)
	})
}

func ptr[T any](v T) *T { return &v }

func waitGone(t *testing.T, s *wiretest.Server) {
	t.Helper()
	select {
	case <-s.Gone():
	case <-time.After(2 * time.Second):
		t.Fatal("the server did not see the client go away")
	}
}

func TestModels(t *testing.T) {
	srv := wiretest.NewOpenAI(t)
	srv.AdvertiseContext = true
	ctx := context.Background()
	p := newProvider(t, srv.URL(), srv.Key())

	ms, err := p.Models(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Name != "gpt-test" || ms[0].ContextLength != 128000 || ms[1].Name != "gpt-tiny" {
		t.Fatalf("models = %+v", ms)
	}
	if err := p.Health(ctx); err != nil {
		t.Fatal(err)
	}
	health := []struct {
		name string
		p    *Provider
		kind llm.ErrorKind
	}{
		{"wrong key", newProvider(t, srv.URL(), "sk-other"), llm.KindAuth},
		{"base URL without /v1", newProvider(t, strings.TrimSuffix(srv.URL(), "/v1"), srv.Key()), llm.KindInvalid},
		{"server down", newProvider(t, wiretest.ClosedURL(t), srv.Key()), llm.KindUnavailable},
	}
	for _, tc := range health {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Health(ctx)
			if llm.KindOf(err) != tc.kind {
				t.Fatalf("err = %v, want %s", err, tc.kind)
			}
			noKey(t, err, srv.Key())
		})
	}
}

func TestBaseURLWithPrefix(t *testing.T) {
	srv := wiretest.NewOpenAI(t, wiretest.WithPrefix("/proxy/openai"))
	p := newProvider(t, srv.URL()+"/", srv.Key())
	parts, _, err := chat(context.Background(), p, hello("gpt-test"))
	if err != nil || strings.Join(parts, "") != "Hello!" {
		t.Fatalf("deltas %q, err %v", parts, err)
	}
	if got := srv.Last().Path; got != "/proxy/openai/v1/chat/completions" {
		t.Fatalf("path = %s", got)
	}
	if _, err := p.Models(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, base := range []string{"ftp://example.com", "not a url", "http://"} {
		if _, err := New(Config{BaseURL: base}); !errors.Is(err, llm.ErrInvalid) {
			t.Fatalf("New(%q) err = %v", base, err)
		}
	}
	p, err := New(Config{})
	if err != nil || p.host != "api.openai.com" || !p.official {
		t.Fatalf("default = %+v, %v", p, err)
	}
}

func TestEnvironmentIsIgnored(t *testing.T) {
	srv := wiretest.NewOpenAI(t)
	t.Setenv("OPENAI_API_KEY", srv.Key())
	t.Setenv("OPENAI_ADMIN_KEY", srv.Key())
	t.Setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
	t.Setenv("OPENAI_ORG_ID", "org-host")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-Host-Secret: leak")
	p := newProvider(t, srv.URL(), "sk-tenant-key")
	if err := p.Health(context.Background()); !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v: the host's key was used", err)
	}
	h := srv.Last().Header
	if h.Get("Authorization") != "Bearer sk-tenant-key" || h.Get("OpenAI-Organization") != "" || h.Get("X-Host-Secret") != "" {
		t.Fatalf("headers = %v", h)
	}
}

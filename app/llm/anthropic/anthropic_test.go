package anthropic

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

func ptr[T any](v T) *T { return &v }

func waitGone(t *testing.T, s *wiretest.Server) {
	t.Helper()
	select {
	case <-s.Gone():
	case <-time.After(2 * time.Second):
		t.Fatal("the server did not see the client go away")
	}
}

func TestChatStreams(t *testing.T) {
	srv := wiretest.NewAnthropic(t)
	p := newProvider(t, srv.URL(), srv.Key())
	cases := []struct {
		name   string
		script wiretest.Script
		want   []string
		done   string
	}{
		{"one piece", wiretest.Script{Reply: "Hello!"}, []string{"Hello!"}, "stop"},
		{"pieces in order", wiretest.Script{Reply: "aaabbbcccddd", Chunks: 4, Delay: 5 * time.Millisecond},
			[]string{"aaa", "bbb", "ccc", "ddd"}, "stop"},
		{"unicode survives", wiretest.Script{Reply: "héllo wörld ✓", Chunks: 3}, []string{"héll", "o wö", "rld ✓"}, "stop"},
		{"stop sequence is a stop", wiretest.Script{Reply: "x", Finish: "stop_sequence"}, []string{"x"}, "stop"},
		{"max_tokens is length", wiretest.Script{Reply: "cut sh", Finish: "max_tokens"}, []string{"cut sh"}, "length"},
		{"other reasons pass through", wiretest.Script{Reply: "x", Finish: "refusal"}, []string{"x"}, "refusal"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.script.PromptTokens, tc.script.CompletionTokens = 11, 7
			srv.SetScript(tc.script)
			parts, u, err := chat(context.Background(), p, hello("claude-test"))
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
	sampling := llm.Options{Temperature: &temp, TopP: &topP, TopK: &topK, Seed: &seed}
	cases := []struct {
		name      string
		opts      llm.Options
		maxTokens float64
	}{
		{"max_tokens defaults to 4096", llm.Options{}, 4096},
		{"max_tokens and stop are sent", llm.Options{MaxTokens: 99, Stop: []string{"END"}}, 99},
		{"sampling options are not sent: 2026-10-21 refuses them", sampling, 4096},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := wiretest.NewAnthropic(t)
			p := newProvider(t, srv.URL(), srv.Key())
			req := hello("claude-test")
			req.Messages = append(req.Messages, llm.Message{Role: llm.RoleAssistant, Content: "yo"},
				llm.Message{Role: llm.RoleSystem, Content: "Answer in French."}, llm.Message{Role: llm.RoleUser, Content: "again"})
			req.Options = tc.opts
			if _, _, err := chat(context.Background(), p, req); err != nil {
				t.Fatal(err)
			}
			got := srv.Last()
			if got.Path != "/v1/messages" || got.Header.Get("Anthropic-Version") == "" ||
				got.Header.Get("Authorization") != "Bearer "+srv.Key() {
				t.Fatalf("request %s with headers %v", got.Path, got.Header)
			}
			b := got.Body
			if b["model"] != "claude-test" || b["stream"] != true || b["max_tokens"] != tc.maxTokens {
				t.Fatalf("body = %s", got.Raw)
			}
			sys := b["system"].([]any)
			if len(sys) != 2 || sys[0].(map[string]any)["text"] != "You are terse." || sys[1].(map[string]any)["text"] != "Answer in French." {
				t.Fatalf("system = %v", b["system"])
			}
			var roles []string
			for _, m := range b["messages"].([]any) {
				roles = append(roles, m.(map[string]any)["role"].(string))
			}
			if strings.Join(roles, ",") != "user,assistant,user" {
				t.Fatalf("roles = %v", roles)
			}
			if stop, _ := b["stop_sequences"].([]any); len(tc.opts.Stop) > 0 && (len(stop) != 1 || stop[0] != "END") {
				t.Fatalf("stop_sequences = %v", b["stop_sequences"])
			}
			for _, k := range []string{"temperature", "top_p", "top_k", "seed"} {
				if _, ok := b[k]; ok {
					t.Fatalf("%s was sent: %s", k, got.Raw)
				}
			}
		})
	}
}

func TestChatErrors(t *testing.T) {
	srv := wiretest.NewAnthropic(t)
	long := llm.ChatRequest{Model: "claude-tiny", Messages: []llm.Message{{Role: llm.RoleUser, Content: strings.Repeat("word ", 200)}}}
	cases := []struct {
		name   string
		base   string
		key    string
		req    *llm.ChatRequest
		script wiretest.Script
		kind   llm.ErrorKind
		retry  time.Duration
	}{
		{name: "wrong key", key: "sk-ant-wrong-key-000000", kind: llm.KindAuth},
		{name: "no key", key: "-", kind: llm.KindAuth},
		{name: "unknown model", req: ptr(hello("claude-nope")), kind: llm.KindModelNotFound},
		{name: "rate limited", script: wiretest.Script{Fail: &wiretest.Failure{Status: 429, Type: "rate_limit_error",
			Message: "Number of request tokens has exceeded your per-minute rate limit", RetryAfter: "7"}}, kind: llm.KindRateLimited, retry: 7 * time.Second},
		{name: "overloaded", script: wiretest.Script{Fail: &wiretest.Failure{Status: 529, Type: "overloaded_error",
			Message: "Overloaded", RetryAfter: "3"}}, kind: llm.KindRateLimited, retry: 3 * time.Second},
		{name: "context too long", req: &long, kind: llm.KindContextTooLong},
		{name: "other bad request", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "invalid_request_error",
			Message: "messages: text content blocks must be non-empty"}}, kind: llm.KindInvalid},
		{name: "server error", script: wiretest.Script{Fail: &wiretest.Failure{Status: 500, Type: "api_error", Message: "Internal server error"}}, kind: llm.KindUnavailable},
		{name: "server down", base: wiretest.ClosedURL(t), kind: llm.KindUnavailable},
		{name: "garbage mid-stream", script: wiretest.Script{Reply: "abc", Chunks: 3, Garbage: true}, kind: llm.KindBadResponse},
		{name: "connection cut", script: wiretest.Script{Reply: "abc", Chunks: 3, Cut: true}, kind: llm.KindBadResponse},
		{name: "clean end without message_stop", script: wiretest.Script{Reply: "abc", Chunks: 3, EndEarly: true}, kind: llm.KindBadResponse},
		{name: "overloaded inside the stream", script: wiretest.Script{Reply: "abc", Chunks: 3,
			StreamError: &wiretest.Failure{Type: "overloaded_error", Message: "Overloaded"}}, kind: llm.KindRateLimited},
		{name: "api error inside the stream", script: wiretest.Script{Reply: "abc", Chunks: 3,
			StreamError: &wiretest.Failure{Type: "api_error", Message: "Internal server error"}}, kind: llm.KindUnavailable},
		{name: "a server that echoes the key", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "invalid_request_error",
			Message: "bad key " + wiretest.DefaultKey}}, kind: llm.KindInvalid},
		{name: "only a system message", req: &llm.ChatRequest{Model: "claude-test", Messages: []llm.Message{{Role: llm.RoleSystem, Content: "x"}}},
			kind: llm.KindInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, key, req := srv.URL(), srv.Key(), hello("claude-test")
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
	srv := wiretest.NewAnthropic(t)
	p := newProvider(t, srv.URL(), srv.Key())

	t.Run("cancel mid-stream", func(t *testing.T) {
		srv.SetScript(wiretest.Script{Reply: "slow reply", Chunks: 5, Hang: true})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		_, err := p.Chat(ctx, hello("claude-test"), func(string) error { cancel(); return nil })
		if !errors.Is(err, llm.ErrCancelled) || time.Since(start) > 2*time.Second {
			t.Fatalf("err = %v after %v", err, time.Since(start))
		}
		waitGone(t, srv.Server)
	})
	t.Run("cancelled before the request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := chat(ctx, p, hello("claude-test")); !errors.Is(err, llm.ErrCancelled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("onDelta error stops the stream", func(t *testing.T) {
		srv := wiretest.NewAnthropic(t)
		p := newProvider(t, srv.URL(), srv.Key())
		srv.SetScript(wiretest.Script{Reply: "a b c d e f", Chunks: 6, Delay: 100 * time.Millisecond})
		stop := errors.New("enough")
		n := 0
		_, err := p.Chat(context.Background(), hello("claude-test"), func(string) error {
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

func TestModels(t *testing.T) {
	srv := wiretest.NewAnthropic(t)
	srv.Models = append(srv.Models, wiretest.Model{ID: "claude-third", ContextLength: 1000000})
	srv.MaxPageSize = 2
	ctx := context.Background()
	p := newProvider(t, srv.URL(), srv.Key())

	ms, err := p.Models(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || ms[0].Name != "claude-test" || ms[0].ContextLength != 200000 || ms[2].Name != "claude-third" {
		t.Fatalf("models over two pages = %+v", ms)
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
		{"wrong base URL", newProvider(t, srv.URL()+"/nope", srv.Key()), llm.KindInvalid},
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
	srv := wiretest.NewAnthropic(t, wiretest.WithPrefix("/gateway/anthropic"))
	p := newProvider(t, srv.URL(), srv.Key())
	parts, _, err := chat(context.Background(), p, hello("claude-test"))
	if err != nil || strings.Join(parts, "") != "Hello!" {
		t.Fatalf("deltas %q, err %v", parts, err)
	}
	if got := srv.Last().Path; got != "/gateway/anthropic/v1/messages" {
		t.Fatalf("path = %s", got)
	}
	if _, err := p.Models(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestEnvironmentIsIgnored(t *testing.T) {
	srv := wiretest.NewAnthropic(t)
	t.Setenv("ANTHROPIC_API_KEY", srv.Key())
	t.Setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:1")
	t.Setenv("ANTHROPIC_CUSTOM_HEADERS", "X-Host-Secret: leak")
	p := newProvider(t, srv.URL(), "sk-tenant-key")
	if err := p.Health(context.Background()); !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v: the host's key was used", err)
	}
	if h := srv.Last().Header; h.Get("X-Host-Secret") != "" || h.Get("Authorization") != "Bearer sk-tenant-key" {
		t.Fatalf("headers = %v", h)
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, base := range []string{"ftp://example.com", "not a url", "http://"} {
		if _, err := New(Config{BaseURL: base}); !errors.Is(err, llm.ErrInvalid) {
			t.Fatalf("New(%q) err = %v", base, err)
		}
	}
	if p, err := New(Config{}); err != nil || p.host != "api.anthropic.com" {
		t.Fatalf("default = %v, %v", p, err)
	}
}

package google

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
	srv := wiretest.NewGemini(t)
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
		{"MAX_TOKENS is length", wiretest.Script{Reply: "cut sh", Finish: "MAX_TOKENS"}, []string{"cut sh"}, "length"},
		{"other reasons pass through", wiretest.Script{Reply: "x", Finish: "SAFETY"}, []string{"x"}, "SAFETY"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.script.PromptTokens, tc.script.CompletionTokens = 11, 7
			srv.SetScript(tc.script)
			parts, u, err := chat(context.Background(), p, hello("gemini-test"))
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
	srv := wiretest.NewGemini(t)
	p := newProvider(t, srv.URL(), srv.Key())
	temp, topP, topK, seed := 0.5, 0.9, 40, 7
	req := hello("gemini-test")
	req.Messages = append(req.Messages, llm.Message{Role: llm.RoleAssistant, Content: "yo"},
		llm.Message{Role: llm.RoleSystem, Content: "Answer in French."}, llm.Message{Role: llm.RoleUser, Content: "again"})
	req.Options = llm.Options{Temperature: &temp, TopP: &topP, TopK: &topK, Seed: &seed, MaxTokens: 99, Stop: []string{"END"}}
	if _, _, err := chat(context.Background(), p, req); err != nil {
		t.Fatal(err)
	}
	got := srv.Last()
	if got.Path != "/v1beta/models/gemini-test:streamGenerateContent" || got.Query.Get("alt") != "sse" ||
		got.Header.Get("X-Goog-Api-Key") != srv.Key() || got.Query.Get("key") != "" {
		t.Fatalf("request %s?%s with headers %v", got.Path, got.Query.Encode(), got.Header)
	}
	b := got.Body
	sys := b["systemInstruction"].(map[string]any)["parts"].([]any)
	if len(sys) != 2 || sys[0].(map[string]any)["text"] != "You are terse." || sys[1].(map[string]any)["text"] != "Answer in French." {
		t.Fatalf("systemInstruction = %v", b["systemInstruction"])
	}
	var roles []string
	for _, c := range b["contents"].([]any) {
		roles = append(roles, c.(map[string]any)["role"].(string))
	}
	if strings.Join(roles, ",") != "user,model,user" {
		t.Fatalf("roles = %v", roles)
	}
	gc := b["generationConfig"].(map[string]any)
	want := map[string]any{"temperature": 0.5, "topP": 0.9, "topK": 40.0, "seed": 7.0, "maxOutputTokens": 99.0}
	for k, v := range want {
		if gc[k] != v {
			t.Fatalf("generationConfig.%s = %v, want %v (%s)", k, gc[k], v, got.Raw)
		}
	}
	if stop := gc["stopSequences"].([]any); len(stop) != 1 || stop[0] != "END" {
		t.Fatalf("stopSequences = %v", gc["stopSequences"])
	}
}

func TestChatErrors(t *testing.T) {
	srv := wiretest.NewGemini(t)
	long := llm.ChatRequest{Model: "gemini-tiny", Messages: []llm.Message{{Role: llm.RoleUser, Content: strings.Repeat("word ", 200)}}}
	cases := []struct {
		name   string
		base   string
		key    string
		req    *llm.ChatRequest
		script wiretest.Script
		kind   llm.ErrorKind
		retry  time.Duration
	}{
		{name: "wrong key (a 400 API_KEY_INVALID)", key: "AIza-wrong-key-000000", kind: llm.KindAuth},
		{name: "permission denied", script: wiretest.Script{Fail: &wiretest.Failure{Status: 403, Type: "PERMISSION_DENIED",
			Message: "The caller does not have permission"}}, kind: llm.KindAuth},
		{name: "unknown model", req: ptr(hello("gemini-nope")), kind: llm.KindModelNotFound},
		{name: "rate limited", script: wiretest.Script{Fail: &wiretest.Failure{Status: 429, Type: "RESOURCE_EXHAUSTED",
			Message: "You exceeded your current quota", RetryAfter: "7"}}, kind: llm.KindRateLimited, retry: 7 * time.Second},
		{name: "context too long", req: &long, kind: llm.KindContextTooLong},
		{name: "other bad request", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "INVALID_ARGUMENT",
			Message: "Request contains an invalid argument."}}, kind: llm.KindInvalid},
		{name: "server error", script: wiretest.Script{Fail: &wiretest.Failure{Status: 500, Type: "INTERNAL", Message: "An internal error has occurred."}}, kind: llm.KindUnavailable},
		{name: "overloaded", script: wiretest.Script{Fail: &wiretest.Failure{Status: 503, Type: "UNAVAILABLE", Message: "The model is overloaded."}}, kind: llm.KindUnavailable},
		{name: "server down", base: wiretest.ClosedURL(t), kind: llm.KindUnavailable},
		{name: "garbage mid-stream", script: wiretest.Script{Reply: "abc", Chunks: 3, Garbage: true}, kind: llm.KindBadResponse},
		{name: "connection cut", script: wiretest.Script{Reply: "abc", Chunks: 3, Cut: true}, kind: llm.KindBadResponse},
		{name: "clean end without finishReason", script: wiretest.Script{Reply: "abc", Chunks: 3, EndEarly: true}, kind: llm.KindBadResponse},
		{name: "error inside the stream", script: wiretest.Script{Reply: "abc", Chunks: 3,
			StreamError: &wiretest.Failure{Status: 503, Type: "UNAVAILABLE", Message: "The model is overloaded."}}, kind: llm.KindUnavailable},
		{name: "a server that echoes the key", script: wiretest.Script{Fail: &wiretest.Failure{Status: 400, Type: "INVALID_ARGUMENT",
			Message: "bad key " + wiretest.DefaultKey}}, kind: llm.KindInvalid},
		{name: "only a system message", req: &llm.ChatRequest{Model: "gemini-test", Messages: []llm.Message{{Role: llm.RoleSystem, Content: "x"}}},
			kind: llm.KindInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base, key, req := srv.URL(), srv.Key(), hello("gemini-test")
			if tc.base != "" {
				base = tc.base
			}
			if tc.key != "" {
				key = tc.key
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
			noKey(t, err, key)
		})
	}
}

func TestChatStops(t *testing.T) {
	srv := wiretest.NewGemini(t)
	p := newProvider(t, srv.URL(), srv.Key())

	t.Run("cancel mid-stream", func(t *testing.T) {
		srv.SetScript(wiretest.Script{Reply: "slow reply", Chunks: 5, Hang: true})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		_, err := p.Chat(ctx, hello("gemini-test"), func(string) error { cancel(); return nil })
		if !errors.Is(err, llm.ErrCancelled) || time.Since(start) > 2*time.Second {
			t.Fatalf("err = %v after %v", err, time.Since(start))
		}
		waitGone(t, srv.Server)
	})
	t.Run("cancelled before the request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, _, err := chat(ctx, p, hello("gemini-test")); !errors.Is(err, llm.ErrCancelled) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("onDelta error stops the stream", func(t *testing.T) {
		srv := wiretest.NewGemini(t)
		p := newProvider(t, srv.URL(), srv.Key())
		srv.SetScript(wiretest.Script{Reply: "a b c d e f", Chunks: 6, Delay: 100 * time.Millisecond})
		stop := errors.New("enough")
		n := 0
		_, err := p.Chat(context.Background(), hello("gemini-test"), func(string) error {
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
	srv := wiretest.NewGemini(t)
	srv.Models = append(srv.Models, wiretest.Model{ID: "gemini-third", ContextLength: 32768})
	srv.Embedders = []string{"text-embedding-004"}
	srv.PageSize = 2
	ctx := context.Background()
	p := newProvider(t, srv.URL(), srv.Key())

	ms, err := p.Models(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 || ms[0].Name != "gemini-test" || ms[0].ContextLength != 1048576 || ms[2].Name != "gemini-third" {
		t.Fatalf("chat models over two pages = %+v", ms)
	}
	if err := p.Health(ctx); err != nil {
		t.Fatal(err)
	}
	health := []struct {
		name string
		p    *Provider
		kind llm.ErrorKind
	}{
		{"wrong key", newProvider(t, srv.URL(), "AIza-other"), llm.KindAuth},
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
	srv := wiretest.NewGemini(t, wiretest.WithPrefix("/gateway/gemini"))
	p := newProvider(t, srv.URL(), srv.Key())
	parts, _, err := chat(context.Background(), p, hello("gemini-test"))
	if err != nil || strings.Join(parts, "") != "Hello!" {
		t.Fatalf("deltas %q, err %v", parts, err)
	}
	if got := srv.Last().Path; got != "/gateway/gemini/v1beta/models/gemini-test:streamGenerateContent" {
		t.Fatalf("path = %s", got)
	}
	if _, err := p.Models(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestEnvironmentIsIgnored(t *testing.T) {
	srv := wiretest.NewGemini(t)
	t.Setenv("GOOGLE_API_KEY", srv.Key())
	t.Setenv("GEMINI_API_KEY", srv.Key())
	t.Setenv("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:1")
	t.Setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
	if _, err := New(Config{BaseURL: srv.URL()}); !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("New without a key: err = %v, the host's key would be used", err)
	}
	p := newProvider(t, srv.URL(), "AIza-tenant-key")
	if err := p.Health(context.Background()); !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v: the host's key was used", err)
	}
	if h := srv.Last().Header; h.Get("X-Goog-Api-Key") != "AIza-tenant-key" {
		t.Fatalf("headers = %v", h)
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, base := range []string{"ftp://example.com", "not a url", "http://"} {
		if _, err := New(Config{BaseURL: base, APIKey: "k"}); !errors.Is(err, llm.ErrInvalid) {
			t.Fatalf("New(%q) err = %v", base, err)
		}
	}
	if p, err := New(Config{APIKey: "k"}); err != nil || p.host != "generativelanguage.googleapis.com" {
		t.Fatalf("default = %v, %v", p, err)
	}
}

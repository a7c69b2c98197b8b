package wiretest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// AnthropicServer speaks Anthropic's Messages API: POST {prefix}/v1/messages
// streaming message_start … message_stop events and GET {prefix}/v1/models
// with after_id paging. It enforces API version 2026-10-21 rules: sampling
// parameters are refused. Set Models and MaxPageSize before the first
// request.
type AnthropicServer struct {
	*Server
	Models []Model
	// MaxPageSize caps the limit of GET /v1/models (1000, as the API does);
	// without a limit a page has 20 models.
	MaxPageSize int
}

// AnthropicVersions are the anthropic-version values the server accepts.
var AnthropicVersions = []string{"2023-06-01", "2026-10-21"}

// NewAnthropic starts an Anthropic server offering claude-test (200k
// context) and claude-tiny (64 tokens).
func NewAnthropic(t testing.TB, opts ...Option) *AnthropicServer {
	t.Helper()
	a := &AnthropicServer{MaxPageSize: 1000, Models: []Model{{ID: "claude-test", ContextLength: 200000}, {ID: "claude-tiny", ContextLength: 64}}}
	a.Server = newServer(t, func(_ *Server, w http.ResponseWriter, r *http.Request, req Request) { a.route(w, r, req) }, opts)
	return a
}

func (a *AnthropicServer) route(w http.ResponseWriter, r *http.Request, req Request) {
	if f := a.auth(r); f != nil {
		a.fail(w, *f)
		return
	}
	switch {
	case r.Method == http.MethodPost && req.Path == "/v1/messages":
		a.messages(w, r, req)
	case r.Method == http.MethodGet && req.Path == "/v1/models":
		a.models(w, req)
	default:
		a.fail(w, Failure{Status: 404, Type: "not_found_error", Message: "Not found"})
	}
}

// auth accepts x-api-key or, as the v2 SDKs send it, Authorization: Bearer;
// when both are present the API uses x-api-key.
func (a *AnthropicServer) auth(r *http.Request) *Failure {
	key := r.Header.Get("X-Api-Key")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && key == "" {
		key = strings.TrimSpace(bearer)
	}
	switch {
	case key == "":
		return &Failure{Status: 401, Type: "authentication_error", Message: "x-api-key header is required"}
	case key != a.key:
		return &Failure{Status: 401, Type: "authentication_error", Message: "invalid x-api-key"}
	}
	v := r.Header.Get("Anthropic-Version")
	if v == "" {
		return &Failure{Status: 400, Type: "invalid_request_error", Message: "anthropic-version: header is required"}
	}
	if !slices.Contains(AnthropicVersions, v) {
		return &Failure{Status: 400, Type: "invalid_request_error", Message: "anthropic-version: invalid version " + v}
	}
	return nil
}

func (a *AnthropicServer) messages(w http.ResponseWriter, r *http.Request, req Request) {
	if f := a.validate(r, req); f != nil {
		a.fail(w, *f)
		return
	}
	sc := a.currentScript()
	if sc.Fail != nil {
		a.fail(w, *sc.Fail)
		return
	}
	m, _ := findModel(a.Models, req.Body["model"].(string))
	prompt := promptTokens(req.Body["messages"]) + tokens(contentText(req.Body["system"]))
	if m.ContextLength > 0 && prompt > m.ContextLength {
		a.fail(w, Failure{Status: 400, Type: "invalid_request_error", Message: fmt.Sprintf("prompt is too long: %d tokens > %d maximum", prompt, m.ContextLength)})
		return
	}
	a.Server.play(w, r, sc, a.frames(req, sc, prompt))
}

func (a *AnthropicServer) validate(r *http.Request, req Request) *Failure {
	invalid := func(msg string) *Failure { return &Failure{Status: 400, Type: "invalid_request_error", Message: msg} }
	if req.Body == nil {
		return invalid("There was an issue with your request body: invalid JSON")
	}
	if r.Header.Get("Anthropic-Version") == "2026-10-21" {
		for _, p := range []string{"temperature", "top_p", "top_k"} {
			if _, ok := req.Body[p]; ok {
				return invalid(p + ": Extra inputs are not permitted")
			}
		}
	}
	model, _ := req.Body["model"].(string)
	if model == "" {
		return invalid("model: Field required")
	}
	if mt, ok := req.Body["max_tokens"].(float64); !ok || mt < 1 {
		return invalid("max_tokens: Field required")
	}
	if f := checkMessages(req.Body["messages"], []string{"user", "assistant"}); f != "" {
		return invalid(f)
	}
	if _, ok := findModel(a.Models, model); !ok {
		return &Failure{Status: 404, Type: "not_found_error", Message: "model: " + model}
	}
	if req.Body["stream"] != true {
		return invalid("wiretest: only streaming requests are supported")
	}
	return nil
}

func (a *AnthropicServer) frames(req Request, sc Script, prompt int) stream {
	event := func(name string, data map[string]any) string {
		data["type"] = name
		return "event: " + name + "\ndata: " + mustJSON(data) + "\n\n"
	}
	u := usage(sc, prompt)
	st := stream{head: []string{
		event("message_start", map[string]any{"message": map[string]any{"id": "msg_wiretest", "type": "message", "role": "assistant",
			"model": req.Body["model"], "content": []any{}, "stop_reason": nil, "stop_sequence": nil,
			"usage": map[string]any{"input_tokens": u["prompt_tokens"], "output_tokens": 1}}}),
		event("content_block_start", map[string]any{"index": 0, "content_block": map[string]any{"type": "text", "text": ""}}),
		event("ping", map[string]any{}),
	}}
	for _, p := range pieces(sc.Reply, sc.Chunks) {
		st.pieces = append(st.pieces, event("content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "text_delta", "text": p}}))
	}
	finish := sc.Finish
	if finish == "" {
		finish = "end_turn"
	}
	st.tail = []string{
		event("content_block_stop", map[string]any{"index": 0}),
		event("message_delta", map[string]any{"delta": map[string]any{"stop_reason": finish, "stop_sequence": nil},
			"usage": map[string]any{"output_tokens": u["completion_tokens"]}}),
		event("message_stop", map[string]any{}),
	}
	st.garbage = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de\n\n"
	if f := sc.StreamError; f != nil {
		st.streamErr = "event: error\ndata: " + mustJSON(anthropicError(*f)) + "\n\n"
	}
	return st
}

func (a *AnthropicServer) models(w http.ResponseWriter, req Request) {
	limit := 20
	if l, err := strconv.Atoi(req.Query.Get("limit")); err == nil && l > 0 {
		limit = l
	}
	limit = min(limit, a.MaxPageSize)
	start := 0
	if after := req.Query.Get("after_id"); after != "" {
		start = slices.IndexFunc(a.Models, func(m Model) bool { return m.ID == after }) + 1
	}
	end := min(start+limit, len(a.Models))
	data := make([]any, 0, end-start)
	for _, m := range a.Models[start:end] {
		data = append(data, map[string]any{"type": "model", "id": m.ID, "display_name": strings.ToUpper(m.ID),
			"created_at": "2026-01-01T00:00:00Z", "max_input_tokens": m.ContextLength, "max_tokens": 64000})
	}
	body := map[string]any{"data": data, "has_more": end < len(a.Models), "first_id": nil, "last_id": nil}
	if len(data) > 0 {
		body["first_id"], body["last_id"] = a.Models[start].ID, a.Models[end-1].ID
	}
	writeJSON(w, 200, nil, body)
}

func anthropicError(f Failure) map[string]any {
	return map[string]any{"type": "error", "error": map[string]any{"type": f.Type, "message": f.Message}, "request_id": "req_wiretest"}
}

func (a *AnthropicServer) fail(w http.ResponseWriter, f Failure) {
	h := map[string]string{"request-id": "req_wiretest"}
	if f.RetryAfter != "" {
		h["Retry-After"] = f.RetryAfter
	}
	writeJSON(w, f.Status, h, anthropicError(f))
}

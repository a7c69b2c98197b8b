package wiretest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// OpenAIServer speaks OpenAI's chat completions API: POST
// {prefix}/v1/chat/completions streaming chat.completion.chunk frames and
// GET {prefix}/v1/models. Set Models, AllowParams and AdvertiseContext
// before the first request.
type OpenAIServer struct {
	*Server
	Models []Model
	// AllowParams lists request fields beyond OpenAI's own that the server
	// accepts, the way vLLM or llama.cpp accept top_k. OpenAI itself refuses
	// unknown fields.
	AllowParams []string
	// AdvertiseContext adds vLLM's max_model_len to the model list.
	AdvertiseContext bool
}

// NewOpenAI starts an OpenAI server offering gpt-test (128k context) and
// gpt-tiny (64 tokens). URL() includes /v1, like OpenAI's base URL.
func NewOpenAI(t testing.TB, opts ...Option) *OpenAIServer {
	t.Helper()
	o := &OpenAIServer{Models: []Model{{ID: "gpt-test", ContextLength: 128000}, {ID: "gpt-tiny", ContextLength: 64}}}
	o.Server = newServer(t, func(_ *Server, w http.ResponseWriter, r *http.Request, req Request) { o.route(w, r, req) }, opts)
	return o
}

// URL is the base URL a client is configured with, ending in /v1.
func (o *OpenAIServer) URL() string { return o.Server.URL() + "/v1" }

func (o *OpenAIServer) route(w http.ResponseWriter, r *http.Request, req Request) {
	if f := o.auth(r); f != nil {
		o.fail(w, *f)
		return
	}
	switch {
	case r.Method == http.MethodPost && req.Path == "/v1/chat/completions":
		o.chat(w, r, req)
	case r.Method == http.MethodGet && req.Path == "/v1/models":
		o.models(w)
	default:
		o.fail(w, Failure{Status: 404, Type: "invalid_request_error", Message: fmt.Sprintf("Invalid URL (%s %s)", r.Method, req.Path)})
	}
}

func (o *OpenAIServer) auth(r *http.Request) *Failure {
	h := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(h, "Bearer ")
	switch {
	case h == "":
		return &Failure{Status: 401, Type: "invalid_request_error", Message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."}
	case !ok || key != o.key:
		return &Failure{Status: 401, Type: "invalid_request_error", Code: "invalid_api_key", Message: "Incorrect API key provided: " + mask(key) + ". You can find your API key at https://platform.openai.com/account/api-keys."}
	}
	return nil
}

// openAIParams are the chat completion fields the fake knows; OpenAI
// refuses others with "Unrecognized request argument supplied".
var openAIParams = []string{"model", "messages", "stream", "stream_options", "temperature", "top_p", "seed", "max_tokens",
	"max_completion_tokens", "stop", "n", "presence_penalty", "frequency_penalty", "user", "logprobs", "response_format"}

func (o *OpenAIServer) chat(w http.ResponseWriter, r *http.Request, req Request) {
	if f := o.validate(req); f != nil {
		o.fail(w, *f)
		return
	}
	sc := o.currentScript()
	if sc.Fail != nil {
		o.fail(w, *sc.Fail)
		return
	}
	model := req.Body["model"].(string)
	prompt := promptTokens(req.Body["messages"])
	if m, _ := findModel(o.Models, model); m.ContextLength > 0 && prompt > m.ContextLength {
		o.fail(w, Failure{Status: 400, Type: "invalid_request_error", Code: "context_length_exceeded",
			Message: fmt.Sprintf("This model's maximum context length is %d tokens. However, your messages resulted in %d tokens. Please reduce the length of the messages.", m.ContextLength, prompt)})
		return
	}
	o.Server.play(w, r, sc, o.frames(req, sc, prompt))
}

func (o *OpenAIServer) validate(req Request) *Failure {
	invalid := func(param, msg string) *Failure {
		return &Failure{Status: 400, Type: "invalid_request_error", Code: param, Message: msg}
	}
	if req.Body == nil {
		return invalid("", "We could not parse the JSON body of your request.")
	}
	for k := range req.Body {
		if !slices.Contains(openAIParams, k) && !slices.Contains(o.AllowParams, k) {
			return invalid("", "Unrecognized request argument supplied: "+k)
		}
	}
	model, _ := req.Body["model"].(string)
	if model == "" {
		return invalid("", "you must provide a model parameter")
	}
	if _, ok := findModel(o.Models, model); !ok {
		return &Failure{Status: 404, Type: "invalid_request_error", Code: "model_not_found",
			Message: "The model `" + model + "` does not exist or you do not have access to it."}
	}
	if f := checkMessages(req.Body["messages"], []string{"system", "developer", "user", "assistant"}); f != "" {
		return invalid("", f)
	}
	if _, both := req.Body["max_tokens"]; both && req.Body["max_completion_tokens"] != nil {
		return invalid("", "max_tokens and max_completion_tokens cannot both be set")
	}
	if req.Body["stream"] != true {
		return invalid("", "wiretest: only streaming requests are supported")
	}
	return nil
}

func (o *OpenAIServer) frames(req Request, sc Script, prompt int) stream {
	model := req.Body["model"].(string)
	created := time.Now().Unix()
	chunk := func(delta map[string]any, finish any) string {
		return "data: " + mustJSON(map[string]any{"id": "chatcmpl-wiretest", "object": "chat.completion.chunk", "created": created,
			"model": model, "system_fingerprint": "fp_wiretest",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}}}) + "\n\n"
	}
	st := stream{head: []string{chunk(map[string]any{"role": "assistant", "content": ""}, nil)}}
	for _, p := range pieces(sc.Reply, sc.Chunks) {
		st.pieces = append(st.pieces, chunk(map[string]any{"content": p}, nil))
	}
	finish := sc.Finish
	if finish == "" {
		finish = "stop"
	}
	st.tail = append(st.tail, chunk(map[string]any{}, finish))
	if so, _ := req.Body["stream_options"].(map[string]any); so["include_usage"] == true {
		st.tail = append(st.tail, "data: "+mustJSON(map[string]any{"id": "chatcmpl-wiretest", "object": "chat.completion.chunk",
			"created": created, "model": model, "choices": []any{}, "usage": usage(sc, prompt)})+"\n\n")
	}
	st.tail = append(st.tail, "data: [DONE]\n\n")
	st.garbage = "data: {\"id\":\"chatcmpl-wiretest\",\"choices\":[{\"delta\":{\"content\":\"oops\n\n"
	if f := sc.StreamError; f != nil {
		st.streamErr = "data: " + mustJSON(map[string]any{"error": openAIError(*f)}) + "\n\n"
	}
	return st
}

func usage(sc Script, prompt int) map[string]any {
	p, c := sc.PromptTokens, sc.CompletionTokens
	if p == 0 {
		p = prompt
	}
	if c == 0 {
		c = tokens(sc.Reply)
	}
	return map[string]any{"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}
}

func (o *OpenAIServer) models(w http.ResponseWriter) {
	data := make([]any, 0, len(o.Models))
	for _, m := range o.Models {
		e := map[string]any{"id": m.ID, "object": "model", "created": 1700000000, "owned_by": "wiretest"}
		if o.AdvertiseContext && m.ContextLength > 0 {
			e["max_model_len"] = m.ContextLength
		}
		data = append(data, e)
	}
	writeJSON(w, 200, nil, map[string]any{"object": "list", "data": data})
}

func openAIError(f Failure) map[string]any {
	var code any
	if f.Code != "" {
		code = f.Code
	}
	return map[string]any{"message": f.Message, "type": f.Type, "param": nil, "code": code}
}

func (o *OpenAIServer) fail(w http.ResponseWriter, f Failure) {
	h := map[string]string{"x-request-id": "req_wiretest"}
	if f.RetryAfter != "" {
		h["Retry-After"] = f.RetryAfter
	}
	writeJSON(w, f.Status, h, map[string]any{"error": openAIError(f)})
}

// promptTokens estimates the prompt of an OpenAI or Anthropic messages
// array: the text plus a few tokens of framing per message.
func promptTokens(messages any) int {
	n := 0
	list, _ := messages.([]any)
	for _, m := range list {
		msg, _ := m.(map[string]any)
		n += 4 + tokens(contentText(msg["content"]))
	}
	return n
}

// contentText flattens a string content or an array of text blocks.
func contentText(c any) string {
	switch v := c.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, blk := range v {
			m, _ := blk.(map[string]any)
			s, _ := m["text"].(string)
			b.WriteString(s)
		}
		return b.String()
	}
	return ""
}

// checkMessages checks a messages array the way the chat APIs do and
// returns the API's complaint, or "".
func checkMessages(messages any, roles []string) string {
	list, ok := messages.([]any)
	if !ok || len(list) == 0 {
		return "messages: at least one message is required"
	}
	for i, m := range list {
		msg, _ := m.(map[string]any)
		role, _ := msg["role"].(string)
		if !slices.Contains(roles, role) {
			return fmt.Sprintf("messages.%d.role: Input should be %s", i, strings.Join(roles, ", "))
		}
		if _, ok := msg["content"]; !ok {
			return fmt.Sprintf("messages.%d.content: Field required", i)
		}
	}
	return ""
}

package wiretest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// GeminiServer speaks the Gemini API: POST
// {prefix}/v1beta/models/{model}:streamGenerateContent?alt=sse and GET
// {prefix}/v1beta/models with pageToken paging. Like the real API it takes
// the key from x-goog-api-key or the key query parameter, answers a wrong
// key with 400 API_KEY_INVALID and a missing one with 403. Set Models and
// PageSize before the first request.
type GeminiServer struct {
	*Server
	Models []Model
	// PageSize is the default page length of the model list (50).
	PageSize int
	// Embedders are models listed without generateContent, as the real
	// list includes embedding models.
	Embedders []string
}

// NewGemini starts a Gemini server offering gemini-test (1M context) and
// gemini-tiny (64 tokens).
func NewGemini(t testing.TB, opts ...Option) *GeminiServer {
	t.Helper()
	g := &GeminiServer{PageSize: 50, Models: []Model{{ID: "gemini-test", ContextLength: 1048576}, {ID: "gemini-tiny", ContextLength: 64}}}
	g.Server = newServer(t, func(_ *Server, w http.ResponseWriter, r *http.Request, req Request) { g.route(w, r, req) }, opts)
	return g
}

func (g *GeminiServer) route(w http.ResponseWriter, r *http.Request, req Request) {
	if f := g.auth(r); f != nil {
		g.fail(w, *f)
		return
	}
	rest, ok := strings.CutPrefix(req.Path, "/v1beta/models")
	switch {
	case ok && rest == "" && r.Method == http.MethodGet:
		g.models(w, req)
	case ok && strings.HasSuffix(rest, ":streamGenerateContent") && r.Method == http.MethodPost:
		g.generate(w, r, req, strings.TrimSuffix(strings.TrimPrefix(rest, "/"), ":streamGenerateContent"))
	default:
		g.fail(w, Failure{Status: 404, Type: "NOT_FOUND", Message: "The requested URL " + req.Path + " was not found on this server."})
	}
}

func (g *GeminiServer) auth(r *http.Request) *Failure {
	key := r.Header.Get("X-Goog-Api-Key")
	if key == "" {
		key = r.URL.Query().Get("key")
	}
	switch {
	case key == "":
		return &Failure{Status: 403, Type: "PERMISSION_DENIED", Message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."}
	case key != g.key:
		return &Failure{Status: 400, Type: "INVALID_ARGUMENT", Code: "API_KEY_INVALID", Message: "API key not valid. Please pass a valid API key."}
	}
	return nil
}

var geminiFields = []string{"contents", "systemInstruction", "generationConfig", "safetySettings", "tools", "toolConfig", "cachedContent"}

var geminiGenerationFields = []string{"temperature", "topP", "topK", "seed", "maxOutputTokens", "stopSequences", "candidateCount",
	"presencePenalty", "frequencyPenalty", "responseMimeType", "thinkingConfig"}

func (g *GeminiServer) generate(w http.ResponseWriter, r *http.Request, req Request, model string) {
	if f := g.validate(req, model); f != nil {
		g.fail(w, *f)
		return
	}
	sc := g.currentScript()
	if sc.Fail != nil {
		g.fail(w, *sc.Fail)
		return
	}
	m, _ := findModel(g.Models, model)
	prompt := geminiPrompt(req.Body)
	if m.ContextLength > 0 && prompt > m.ContextLength {
		g.fail(w, Failure{Status: 400, Type: "INVALID_ARGUMENT",
			Message: fmt.Sprintf("The input token count (%d) exceeds the maximum number of tokens allowed (%d).", prompt, m.ContextLength)})
		return
	}
	g.Server.play(w, r, sc, g.frames(model, sc, prompt))
}

func (g *GeminiServer) validate(req Request, model string) *Failure {
	invalid := func(msg string) *Failure { return &Failure{Status: 400, Type: "INVALID_ARGUMENT", Message: msg} }
	if req.Query.Get("alt") != "sse" {
		return invalid("wiretest: only alt=sse streaming is supported")
	}
	if req.Body == nil {
		return invalid("Invalid JSON payload received.")
	}
	if f := unknownField(req.Body, geminiFields, ""); f != nil {
		return f
	}
	gc, _ := req.Body["generationConfig"].(map[string]any)
	if f := unknownField(gc, geminiGenerationFields, "generation_config."); f != nil {
		return f
	}
	if _, ok := findModel(g.Models, model); !ok {
		return &Failure{Status: 404, Type: "NOT_FOUND",
			Message: "models/" + model + " is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods."}
	}
	contents, _ := req.Body["contents"].([]any)
	if len(contents) == 0 {
		return invalid("* GenerateContentRequest.contents: contents is not specified\n")
	}
	for _, c := range contents {
		m, _ := c.(map[string]any)
		if role, _ := m["role"].(string); role != "" && role != "user" && role != "model" {
			return invalid("Please use a valid role: user, model.")
		}
		if parts, _ := m["parts"].([]any); len(parts) == 0 {
			return invalid("* GenerateContentRequest.contents.parts: contents.parts must not be empty.\n")
		}
	}
	return nil
}

func unknownField(body map[string]any, known []string, path string) *Failure {
	for k := range body {
		if !slices.Contains(known, k) {
			return &Failure{Status: 400, Type: "INVALID_ARGUMENT",
				Message: fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, strings.TrimSuffix(path, "."))}
		}
	}
	return nil
}

func geminiPrompt(body map[string]any) int {
	n := 0
	contents, _ := body["contents"].([]any)
	if si, ok := body["systemInstruction"].(map[string]any); ok {
		contents = append(contents, si)
	}
	for _, c := range contents {
		m, _ := c.(map[string]any)
		n += 4 + tokens(contentText(m["parts"]))
	}
	return n
}

func (g *GeminiServer) frames(model string, sc Script, prompt int) stream {
	u := usage(sc, prompt)
	frame := func(text string, finish string, final bool) string {
		cand := map[string]any{"content": map[string]any{"parts": []any{map[string]any{"text": text}}, "role": "model"}, "index": 0}
		meta := map[string]any{"promptTokenCount": u["prompt_tokens"], "totalTokenCount": u["prompt_tokens"]}
		if finish != "" {
			cand["finishReason"] = finish
		}
		if final {
			meta["candidatesTokenCount"] = u["completion_tokens"]
			meta["totalTokenCount"] = u["total_tokens"]
		}
		return "data: " + mustJSON(map[string]any{"candidates": []any{cand}, "usageMetadata": meta,
			"modelVersion": model, "responseId": "wiretest"}) + "\r\n\r\n"
	}
	st := stream{}
	for _, p := range pieces(sc.Reply, sc.Chunks) {
		st.pieces = append(st.pieces, frame(p, "", false))
	}
	finish := sc.Finish
	if finish == "" {
		finish = "STOP"
	}
	st.tail = []string{frame("", finish, true)}
	st.garbage = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\r\n\r\n"
	if f := sc.StreamError; f != nil {
		st.streamErr = "data: " + mustJSON(geminiError(*f)) + "\r\n\r\n"
	}
	return st
}

func (g *GeminiServer) models(w http.ResponseWriter, req Request) {
	type entry struct {
		name    string
		ctx     int
		methods []string
	}
	var all []entry
	for _, m := range g.Models {
		all = append(all, entry{m.ID, m.ContextLength, []string{"generateContent", "countTokens"}})
	}
	for _, e := range g.Embedders {
		all = append(all, entry{e, 2048, []string{"embedContent"}})
	}
	size := g.PageSize
	if s, err := strconv.Atoi(req.Query.Get("pageSize")); err == nil && s > 0 {
		size = s
	}
	start, _ := strconv.Atoi(req.Query.Get("pageToken"))
	end := min(start+size, len(all))
	models := make([]any, 0, end-start)
	for _, e := range all[start:end] {
		models = append(models, map[string]any{"name": "models/" + e.name, "version": "001", "displayName": strings.ToUpper(e.name),
			"inputTokenLimit": e.ctx, "outputTokenLimit": 8192, "supportedGenerationMethods": e.methods})
	}
	body := map[string]any{"models": models}
	if end < len(all) {
		body["nextPageToken"] = strconv.Itoa(end)
	}
	writeJSON(w, 200, nil, body)
}

func geminiError(f Failure) map[string]any {
	var details []any
	if f.Code != "" {
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": f.Code,
			"domain": "googleapis.com", "metadata": map[string]any{"service": "generativelanguage.googleapis.com"}})
	}
	if f.RetryAfter != "" {
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": f.RetryAfter + "s"})
	}
	e := map[string]any{"code": f.Status, "message": f.Message, "status": f.Type}
	if details != nil {
		e["details"] = details
	}
	return map[string]any{"error": e}
}

// fail writes a Gemini error. Gemini reports retry delays in a RetryInfo
// detail rather than a Retry-After header.
func (g *GeminiServer) fail(w http.ResponseWriter, f Failure) {
	writeJSON(w, f.Status, nil, geminiError(f))
}

package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/packages/ssestream"

	"github.com/nyxcore/nyxcore/app/llm"
)

// op says what was being done, because a 404 means a missing model for a
// chat but a wrong base URL for a model list.
type op int

const (
	opChat op = iota
	opList
)

// classify turns any failure into an *llm.Error whose message is safe to
// show: the key is scrubbed from every text, including the cause's.
func (p *Provider) classify(ctx context.Context, err error, o op) *llm.Error {
	if e := llm.FromContext(ctx, llm.KindOpenAI); e != nil {
		return e
	}
	var e *llm.Error
	var apiErr *sdk.Error
	var streamErr *ssestream.StreamError
	switch {
	case errors.As(err, &apiErr):
		e = fromStatus(apiErr.StatusCode, apiErr.Code, apiErr.Message, o)
		e.RetryAfter, e.Status = llm.RetryAfter(apiErr.Response), apiErr.StatusCode
	case errors.As(err, &streamErr):
		e = fromStreamError(streamErr)
	default:
		e = llm.FromTransport(err, p.host)
	}
	e.Provider = llm.KindOpenAI
	e.Message = llm.Scrub(e.Message, p.key)
	e.Err = llm.Redact(err, p.key)
	return e
}

// fromStatus maps an HTTP error reply. OpenAI-compatible servers differ in
// codes, so context-length errors are also recognised by their message.
func fromStatus(status int, code, msg string, o op) *llm.Error {
	detail := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if msg != "" {
		detail = llm.Excerpt(msg) // the JSON error's message field, never a raw body
	}
	switch {
	case status == 401 || status == 403:
		return &llm.Error{Kind: llm.KindAuth, Message: "the API key was rejected: " + detail}
	case code == "model_not_found" || (status == 404 && o == opChat):
		return &llm.Error{Kind: llm.KindModelNotFound, Message: detail}
	case status == 404:
		return &llm.Error{Kind: llm.KindInvalid, Message: "no models endpoint at this base URL (does it end in /v1?): " + detail}
	case status == 429:
		return &llm.Error{Kind: llm.KindRateLimited, Message: detail}
	case status == 413 || tooLong(code, msg):
		return &llm.Error{Kind: llm.KindContextTooLong, Message: detail}
	case status == 408 || status >= 500:
		return &llm.Error{Kind: llm.KindUnavailable, Message: detail}
	case status >= 400:
		return &llm.Error{Kind: llm.KindInvalid, Message: detail}
	}
	return &llm.Error{Kind: llm.KindBadResponse, Message: detail}
}

// tooLong recognises a context-window refusal from OpenAI
// (context_length_exceeded), vLLM ("maximum context length"), llama.cpp
// (exceed_context_size_error) and others.
func tooLong(code, msg string) bool {
	if code == "context_length_exceeded" {
		return true
	}
	m := strings.ToLower(msg)
	for _, s := range []string{"context length", "context_length", "context window", "context size", "exceed_context_size", "prompt is too long", "too many tokens"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// fromStreamError maps an error object sent inside the stream, as vLLM and
// OpenAI do when generation fails after the headers.
func fromStreamError(se *ssestream.StreamError) *llm.Error {
	var body struct {
		Error struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			Code    any    `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal(se.Event.Data, &body) != nil {
		return &llm.Error{Kind: llm.KindBadResponse, Message: "the stream carried an unreadable error"}
	}
	code := fmt.Sprint(body.Error.Code)
	msg := "the stream failed: " + llm.Excerpt(body.Error.Message)
	switch {
	case tooLong(code, body.Error.Message):
		return &llm.Error{Kind: llm.KindContextTooLong, Message: msg}
	case strings.Contains(body.Error.Type, "rate_limit") || code == "429":
		return &llm.Error{Kind: llm.KindRateLimited, Message: msg}
	case strings.Contains(body.Error.Type, "server_error") || strings.HasPrefix(code, "5"):
		return &llm.Error{Kind: llm.KindUnavailable, Message: msg}
	}
	return &llm.Error{Kind: llm.KindBadResponse, Message: msg}
}

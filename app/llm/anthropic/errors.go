package anthropic

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/nyxcore/nyxcore/app/llm"
)

// op says what was being done, because a 404 means a missing model for a
// chat but a wrong base URL for a model list.
type op int

const (
	opChat op = iota
	opList
)

// typeStatus gives the HTTP status of each API error type, for errors that
// arrive inside a 200 stream as an error event.
var typeStatus = map[string]int{
	"invalid_request_error": 400, "authentication_error": 401, "billing_error": 402, "permission_error": 403,
	"not_found_error": 404, "request_too_large": 413, "rate_limit_error": 429, "api_error": 500,
	"timeout_error": 504, "overloaded_error": 529,
}

// classify turns any failure into an *llm.Error whose message is safe to
// show: the key is scrubbed from every text, including the cause's.
func (p *Provider) classify(ctx context.Context, err error, o op) *llm.Error {
	if e := llm.FromContext(ctx, llm.KindAnthropic); e != nil {
		return e
	}
	var e *llm.Error
	var apiErr *sdk.Error
	switch {
	case errors.As(err, &apiErr):
		status := apiErr.StatusCode
		if s, ok := typeStatus[string(apiErr.Type())]; ok && status < 400 {
			status = s // an error event inside the stream
		}
		e = fromStatus(status, apiErr.Message, o)
		e.RetryAfter, e.Status = llm.RetryAfter(apiErr.Response), status
	case strings.HasPrefix(err.Error(), "received error while streaming"):
		e = &llm.Error{Kind: llm.KindBadResponse, Message: "the stream carried an unreadable error"}
	default:
		e = llm.FromTransport(err, p.host)
	}
	e.Provider = llm.KindAnthropic
	e.Message = llm.Scrub(e.Message, p.key)
	e.Err = llm.Redact(err, p.key)
	return e
}

// fromStatus maps an HTTP error reply: 529 overloaded is a rate limit to
// back off from, and "prompt is too long" is the context window.
func fromStatus(status int, msg string, o op) *llm.Error {
	detail := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if msg != "" {
		detail = llm.Excerpt(msg) // the JSON error's message field, never a raw body
	}
	switch {
	case status == 401 || status == 402 || status == 403:
		return &llm.Error{Kind: llm.KindAuth, Message: "the API key was rejected: " + detail}
	case status == 404 && o == opChat:
		return &llm.Error{Kind: llm.KindModelNotFound, Message: detail}
	case status == 404:
		return &llm.Error{Kind: llm.KindInvalid, Message: "no models endpoint at this base URL: " + detail}
	case status == 429 || status == 529:
		return &llm.Error{Kind: llm.KindRateLimited, Message: detail}
	case status == 413 || strings.Contains(strings.ToLower(msg), "prompt is too long"):
		return &llm.Error{Kind: llm.KindContextTooLong, Message: detail}
	case status == 408 || status >= 500:
		return &llm.Error{Kind: llm.KindUnavailable, Message: detail}
	case status >= 400:
		return &llm.Error{Kind: llm.KindInvalid, Message: detail}
	}
	return &llm.Error{Kind: llm.KindBadResponse, Message: detail}
}

package google

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"google.golang.org/genai"

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
	if e := llm.FromContext(ctx, llm.KindGoogle); e != nil {
		return e
	}
	var e *llm.Error
	var apiErr genai.APIError
	switch {
	case errors.As(err, &apiErr):
		e = fromStatus(apiErr, o)
		e.RetryAfter, e.Status = retryDelay(apiErr.Details), apiErr.Code
	default:
		e = llm.FromTransport(err, p.host)
	}
	e.Provider = llm.KindGoogle
	e.Message = llm.Scrub(e.Message, p.key)
	e.Err = llm.Redact(err, p.key)
	return e
}

// fromStatus maps a Google API error. A wrong key is a 400 with the
// ErrorInfo reason API_KEY_INVALID, not a 401.
func fromStatus(ae genai.APIError, o op) *llm.Error {
	status := ae.Code
	detail := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if ae.Message != "" && structured(ae) {
		detail = llm.Excerpt(ae.Message)
	}
	switch {
	case status == 401 || status == 403 || badKey(ae):
		return &llm.Error{Kind: llm.KindAuth, Message: "the API key was rejected: " + detail}
	case status == 404 && o == opChat:
		return &llm.Error{Kind: llm.KindModelNotFound, Message: detail}
	case status == 404:
		return &llm.Error{Kind: llm.KindInvalid, Message: "no models endpoint at this base URL: " + detail}
	case status == 429:
		return &llm.Error{Kind: llm.KindRateLimited, Message: detail}
	case status == 413 || tooLong(ae.Message):
		return &llm.Error{Kind: llm.KindContextTooLong, Message: detail}
	case status == 408 || status >= 500:
		return &llm.Error{Kind: llm.KindUnavailable, Message: detail}
	case status >= 400:
		return &llm.Error{Kind: llm.KindInvalid, Message: detail}
	}
	return &llm.Error{Kind: llm.KindBadResponse, Message: detail}
}

func badKey(ae genai.APIError) bool {
	for _, d := range ae.Details {
		if r, _ := d["reason"].(string); strings.HasPrefix(r, "API_KEY_") {
			return true
		}
	}
	return strings.Contains(ae.Message, "API key not valid")
}

// tooLong recognises "The input token count (N) exceeds the maximum number
// of tokens allowed (M)".
func tooLong(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "input token count") || strings.Contains(m, "exceeds the maximum number of tokens") ||
		strings.Contains(m, "token limit")
}

// retryDelay reads the google.rpc.RetryInfo detail Gemini sends with 429s.
func retryDelay(details []map[string]any) time.Duration {
	for _, d := range details {
		if t, _ := d["@type"].(string); !strings.HasSuffix(t, "google.rpc.RetryInfo") {
			continue
		}
		s, _ := d["retryDelay"].(string)
		if dur, err := time.ParseDuration(s); err == nil && dur > 0 {
			return dur
		}
	}
	return 0
}

// structured reports whether ae was decoded from Google's JSON error
// (whose status is an enum such as INVALID_ARGUMENT): for any other answer
// the SDK puts the raw body in Message, which must not reach the tenant.
func structured(ae genai.APIError) bool {
	return ae.Status != "" && !strings.ContainsAny(ae.Status, " abcdefghijklmnopqrstuvwxyz")
}

package llm

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrorKind classifies provider failures so callers and the API can react
// without parsing messages.
type ErrorKind string

// Error kinds.
const (
	KindUnavailable    ErrorKind = "unavailable"      // host down, timeout, 5xx
	KindAuth           ErrorKind = "auth"             // missing or wrong key
	KindRateLimited    ErrorKind = "rate_limited"     // 429 / overloaded
	KindContextTooLong ErrorKind = "context_too_long" // prompt exceeds the window
	KindModelNotFound  ErrorKind = "model_not_found"
	KindCancelled      ErrorKind = "cancelled"
	KindBadResponse    ErrorKind = "bad_response" // garbage or a cut stream
	KindStalled        ErrorKind = "stalled"      // no first token, or no next chunk, in time
	KindInvalid        ErrorKind = "invalid_request"
)

// Error is every failure a Provider returns.
type Error struct {
	Kind       ErrorKind
	Provider   string // provider kind or host, for messages
	Message    string // safe to show a user: never contains keys, and of the upstream's text at most an Excerpt
	Status     int    // the upstream's HTTP status, 0 when there was no HTTP answer
	RetryAfter time.Duration
	Err        error // underlying cause, for logs
}

// Sentinels for errors.Is: an *Error matches the sentinel of its kind.
var (
	ErrUnavailable    = &Error{Kind: KindUnavailable}
	ErrAuth           = &Error{Kind: KindAuth}
	ErrRateLimited    = &Error{Kind: KindRateLimited}
	ErrContextTooLong = &Error{Kind: KindContextTooLong}
	ErrModelNotFound  = &Error{Kind: KindModelNotFound}
	ErrCancelled      = &Error{Kind: KindCancelled}
	ErrBadResponse    = &Error{Kind: KindBadResponse}
	ErrStalled        = &Error{Kind: KindStalled}
	ErrInvalid        = &Error{Kind: KindInvalid}
)

// Error renders the kind, provider and message.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Provider != "" {
		return fmt.Sprintf("llm %s: %s: %s", e.Provider, e.Kind, msg)
	}
	return fmt.Sprintf("llm: %s: %s", e.Kind, msg)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is matches errors of the same kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// Errorf builds an *Error of kind for provider.
func Errorf(kind ErrorKind, provider string, cause error, format string, args ...any) *Error {
	return &Error{Kind: kind, Provider: provider, Message: fmt.Sprintf(format, args...), Err: cause}
}

// KindOf returns the kind of err, KindUnavailable for foreign errors.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return KindCancelled
	}
	return KindUnavailable
}

// FromContext returns a cancelled *Error when ctx is done, else nil. Every
// provider checks it first when a stream ends early.
func FromContext(ctx context.Context, provider string) *Error {
	if err := ctx.Err(); err != nil {
		return &Error{Kind: KindCancelled, Provider: provider, Message: "the request was cancelled", Err: err}
	}
	return nil
}

package llm

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Helpers the hosted providers (OpenAI, Anthropic, Google) share.

// FromTransport maps failures below HTTP for the hosted providers. Errors from sending the request
// come wrapped in *url.Error (refused, DNS, TLS, timeouts); anything else
// happened while reading an accepted stream: a cut connection or bytes
// that are not the API's format.
func FromTransport(err error, host string) *Error {
	var ue *url.Error
	var ne net.Error
	switch {
	case errors.As(err, &ue):
		return &Error{Kind: KindUnavailable, Message: fmt.Sprintf("could not reach %s: %s", host, netReason(err))}
	case errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindUnavailable, Message: fmt.Sprintf("%s stopped answering: timeout", host)}
	case isCut(err):
		return &Error{Kind: KindBadResponse, Message: "stream ended early: the connection was closed"}
	}
	return &Error{Kind: KindBadResponse, Message: "the server sent a malformed response"}
}

func isCut(err error) bool {
	var ne *net.OpError
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ne)
}

func netReason(err error) string {
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &dns):
		return "host not found"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "tls:") || strings.Contains(err.Error(), "x509:"):
		return "TLS handshake failed"
	}
	return "network error"
}

// RetryAfter reads Retry-After (seconds or an HTTP date) or OpenAI's
// retry-after-ms.
func RetryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	if ms, err := strconv.ParseFloat(resp.Header.Get("Retry-After-Ms"), 64); err == nil && ms > 0 {
		return time.Duration(ms * float64(time.Millisecond))
	}
	v := resp.Header.Get("Retry-After")
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// clip keeps a provider message short enough for a toast.
func Clip(s string) string {
	const limit = 300
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

// Scrub removes key from s.
func Scrub(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[redacted]")
}

// Redact returns err as a cause fit for logs: its text with key removed.
func Redact(err error, key string) error { return redacted{err: err, text: Scrub(err.Error(), key)} }

// redacted is the cause kept for logs, with the key scrubbed from its
// text. It holds the scrubbed text, not the key, so that printing it with
// %#v reveals nothing either.
type redacted struct {
	err  error
	text string
}

func (r redacted) Error() string { return r.text }

// GoString keeps %#v from printing the cause's fields, which may hold
// what the server echoed.
func (r redacted) GoString() string { return "redacted(" + strconv.Quote(r.text) + ")" }
func (r redacted) Unwrap() error    { return r.err }

// HTTPClient returns the client hosted providers use by default: it bounds the wait for response headers but sets no overall
// timeout, since a stream may rightly run for minutes; the caller's context
// bounds the whole chat.
func HTTPClient() *http.Client {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t = t.Clone()
		t.ResponseHeaderTimeout = 2 * time.Minute
		return &http.Client{Transport: t}
	}
	return &http.Client{}
}

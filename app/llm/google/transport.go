package google

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

	"github.com/nyxcore/nyxcore/app/llm"
)

// The helpers below are the same in the three hosted providers, except
// that Gemini sends no Retry-After header (see retryDelay).

// fromTransport maps failures below HTTP. Errors from sending the request
// come wrapped in *url.Error (refused, DNS, TLS, timeouts); anything else
// happened while reading an accepted stream: a cut connection or bytes
// that are not the API's format.
func fromTransport(err error, host string) *llm.Error {
	var ue *url.Error
	var ne net.Error
	switch {
	case errors.As(err, &ue):
		return &llm.Error{Kind: llm.KindUnavailable, Message: fmt.Sprintf("could not reach %s: %s", host, netReason(err))}
	case errors.As(err, &ne) && ne.Timeout():
		return &llm.Error{Kind: llm.KindUnavailable, Message: fmt.Sprintf("%s stopped answering: timeout", host)}
	case isCut(err):
		return &llm.Error{Kind: llm.KindBadResponse, Message: "stream ended early: the connection was closed"}
	}
	return &llm.Error{Kind: llm.KindBadResponse, Message: "the server sent a malformed response"}
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

// clip keeps a provider message short enough for a toast.
func clip(s string) string {
	const limit = 300
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}

func scrub(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[redacted]")
}

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

// defaultClient bounds the wait for response headers but sets no overall
// timeout, since a stream may rightly run for minutes; the caller's context
// bounds the whole chat.
func defaultClient() *http.Client {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		t = t.Clone()
		t.ResponseHeaderTimeout = 2 * time.Minute
		return &http.Client{Transport: t}
	}
	return &http.Client{}
}

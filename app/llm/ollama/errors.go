package ollama

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm"
)

// streamError is a failure reported by /api/chat: an error line (JSON,
// structured) or a line that is not Ollama's format at all.
type streamError struct {
	status     int // HTTP status of the reply (200 for an error mid-stream)
	text       string
	structured bool
}

func (e streamError) Error() string { return fmt.Sprintf("ollama chat: HTTP %d: %s", e.status, e.text) }

// classify turns client errors into typed llm errors. Messages carry the
// status and, where the text is known to be Ollama's own error message
// (or the host is the operator's), a sanitised excerpt of it; never the
// body of whatever else answered at a tenant's URL.
func (h *Host) classify(ctx context.Context, err error) *llm.Error {
	if e := llm.FromContext(ctx, h.url); e != nil {
		return e
	}
	var le *llm.Error
	if errors.As(err, &le) {
		return le
	}
	var se api.StatusError
	if errors.As(err, &se) {
		return h.fromStatus(err, se.StatusCode, se.ErrorMessage, h.showErrors)
	}
	var st streamError
	if errors.As(err, &st) {
		if st.status < http.StatusBadRequest {
			return llm.Errorf(llm.KindBadResponse, h.url, err, "the stream from the Ollama host failed%s", h.detail(st.text, st.structured))
		}
		return h.fromStatus(err, st.status, st.text, st.structured || h.showErrors)
	}
	var ae api.AuthorizationError
	if errors.As(err, &ae) {
		return &llm.Error{Kind: llm.KindAuth, Provider: h.url, Status: ae.StatusCode, Message: "the Ollama host refused the credentials", Err: err}
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) {
		return llm.Errorf(llm.KindUnavailable, h.url, err, "cannot reach the Ollama host at %s", h.url)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// The reply's body was cut at the transport level (a chunked
		// stream without its end): the server went away, it did not
		// answer in another format.
		return llm.Errorf(llm.KindUnavailable, h.url, err, "the Ollama host at %s went away in the middle of the reply", h.url)
	}
	return llm.Errorf(llm.KindBadResponse, h.url, err, "unexpected answer from %s: it does not speak Ollama's API", h.url)
}

// fromStatus maps an HTTP error reply; text is used to classify and shown
// (as an excerpt) only when show is set.
func (h *Host) fromStatus(err error, status int, text string, show bool) *llm.Error {
	msg := strings.ToLower(text)
	detail := h.detail(text, show)
	e := &llm.Error{Provider: h.url, Status: status, Err: err}
	switch {
	case status == http.StatusNotFound || strings.Contains(msg, "not found"):
		e.Kind, e.Message = llm.KindModelNotFound, "the model is not on the Ollama host"+detail
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable && strings.Contains(msg, "busy"):
		e.Kind, e.Message = llm.KindRateLimited, "the Ollama host is busy"+detail
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Kind, e.Message = llm.KindAuth, "the Ollama host refused the credentials"
	case status >= 500:
		e.Kind, e.Message = llm.KindUnavailable, fmt.Sprintf("the Ollama host failed (HTTP %d)%s", status, detail)
	default:
		e.Kind, e.Message = llm.KindInvalid, fmt.Sprintf("the Ollama host refused the request (HTTP %d)%s", status, detail)
	}
	return e
}

// detail is ": <excerpt>" of text when it may be shown, else "".
func (h *Host) detail(text string, show bool) string {
	if x := llm.Excerpt(text); show && x != "" {
		return ": " + x
	}
	return ""
}

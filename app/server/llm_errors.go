package server

import (
	"errors"
	"net/http"

	"github.com/nyxcore/nyxcore/app/llm"
)

// llmError maps a provider failure to the API error a client sees. The
// message is the provider error's own, which never carries a key and of an
// upstream's text at most a sanitised excerpt; data.status is the
// upstream's HTTP status when it answered.
func llmError(err error) *apiError {
	var le *llm.Error
	if !errors.As(err, &le) {
		return nil
	}
	status, code := http.StatusBadGateway, "provider_unavailable"
	switch le.Kind {
	case llm.KindAuth:
		code = "provider_auth"
	case llm.KindRateLimited:
		status, code = http.StatusTooManyRequests, "provider_rate_limited"
	case llm.KindContextTooLong:
		status, code = http.StatusBadRequest, "context_too_long"
	case llm.KindModelNotFound:
		status, code = http.StatusNotFound, "model_not_found"
	case llm.KindCancelled:
		status, code = 499, "cancelled"
	case llm.KindBadResponse:
		code = "provider_bad_response"
	case llm.KindStalled:
		status, code = http.StatusGatewayTimeout, "provider_stalled"
	case llm.KindInvalid:
		status, code = http.StatusBadRequest, "provider_invalid"
	}
	msg := le.Message
	if msg == "" {
		msg = "The model provider failed."
	}
	ae := &apiError{Status: status, Code: code, Message: msg}
	if le.Status != 0 {
		ae.Data = map[string]any{"status": le.Status}
	}
	return ae
}

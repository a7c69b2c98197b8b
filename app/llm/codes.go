package llm

import (
	"errors"
	"net/http"
)

// StatusCode is the HTTP status and stable API error code of a failure
// kind: what the API answers, and what a discussion message or a workflow
// step records as its error_code.
func StatusCode(kind ErrorKind) (int, string) {
	switch kind {
	case KindAuth:
		return http.StatusBadGateway, "provider_auth"
	case KindRateLimited:
		return http.StatusTooManyRequests, "provider_rate_limited"
	case KindContextTooLong:
		return http.StatusBadRequest, "context_too_long"
	case KindModelNotFound:
		return http.StatusNotFound, "model_not_found"
	case KindCancelled:
		return 499, "cancelled"
	case KindBadResponse:
		return http.StatusBadGateway, "provider_bad_response"
	case KindStalled:
		return http.StatusGatewayTimeout, "provider_stalled"
	case KindInvalid:
		return http.StatusBadRequest, "provider_invalid"
	}
	return http.StatusBadGateway, "provider_unavailable"
}

// Code is the API error code of err when it is a provider failure, else "".
func Code(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return ""
	}
	_, code := StatusCode(e.Kind)
	return code
}

package server

import (
	"errors"

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
	status, code := llm.StatusCode(le.Kind)
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

package server

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
)

type tryBody struct {
	Message string `json:"message"`
}

// tryPersona answers POST /api/nyx/tenants/{tenant}/personas/{id}/try
// (member): the persona answers one message, streamed as SSE "delta"
// events, then "done" with the usage, or "error". Nothing is stored.
func (a *api) tryPersona(e *core.RequestEvent) error {
	var body tryBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	msg := strings.TrimSpace(body.Message)
	if msg == "" || len(msg) > 32<<10 {
		return a.fail(e, fieldError(http.StatusBadRequest, "invalid_field", "message", "Write a message of up to 32 KiB."))
	}
	p, err := a.persona(e)
	if err != nil {
		return a.fail(e, err)
	}
	res, err := a.meter.Reserve(e.Request.Context(), tenantID(e), e.Auth.Id)
	if err != nil {
		return a.fail(e, err)
	}
	defer res.Release()
	_, opts, _ := validOptions(p.Options) // stored options were validated on write
	opts.Temperature = p.Temperature
	req := llm.ChatRequest{Model: p.Model, Options: opts}
	if p.SystemPrompt != "" {
		req.Messages = append(req.Messages, llm.Message{Role: llm.RoleSystem, Content: p.SystemPrompt})
	}
	req.Messages = append(req.Messages, llm.Message{Role: llm.RoleUser, Content: msg})
	s, err := a.startSSE(e)
	if err != nil {
		return nil // the client went away before the stream started
	}
	defer s.Close()
	// Charged through the meter even when the client hangs up mid-stream.
	r, err := res.Chat(s.Context(), *p, req, func(text string) error {
		return s.send("delta", map[string]string{"text": text})
	})
	if err != nil {
		if ae := llmError(err); ae != nil {
			s.send("error", ae) //nolint:errcheck // best effort: the client may be gone
		}
		return nil
	}
	s.send("done", map[string]any{"usage": r.Usage, "estimated": r.Estimated, "tokens_per_second": r.Usage.TokensPerSecond()}) //nolint:errcheck // as above
	return nil
}

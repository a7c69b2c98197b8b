package ollama

import (
	"context"
	"errors"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm"
)

// callbackError carries an error returned by the caller's onDelta through
// the api client, so it is returned as is and not classified.
type callbackError struct{ err error }

func (c callbackError) Error() string { return c.err.Error() }

// Chat streams a reply. num_ctx is always sent: Ollama silently truncates
// prompts at its own small default otherwise.
func (h *Host) Chat(ctx context.Context, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	numCtx := h.numCtx(ctx, req)
	usage := llm.Usage{NumCtx: numCtx, Host: h.url, TruncationRisk: estimateTokens(req.Messages) > numCtx*9/10}
	stream := true
	start := time.Now()
	sawDone := false
	err := h.streamChat(ctx, &api.ChatRequest{
		Model: req.Model, Messages: toAPI(req.Messages), Stream: &stream, Options: options(req.Options, numCtx),
	}, func(r api.ChatResponse) error {
		if r.Message.Content != "" {
			if usage.TimeToFirstToken == 0 {
				usage.TimeToFirstToken = time.Since(start)
			}
			if err := onDelta(r.Message.Content); err != nil {
				return callbackError{err}
			}
		}
		if r.Done {
			sawDone = true
			fillUsage(&usage, r)
		}
		return nil
	})
	usage.Total = time.Since(start)
	var cb callbackError
	switch {
	case errors.As(err, &cb):
		return usage, cb.err
	case err != nil:
		return usage, h.classify(ctx, err)
	case !sawDone:
		// The api client returns nil when the stream is cut or ctx is
		// cancelled mid-stream: only a done chunk proves the end.
		if e := llm.FromContext(ctx, h.url); e != nil {
			return usage, e
		}
		return usage, llm.Errorf(llm.KindBadResponse, h.url, nil, "the stream from %s ended before the reply was complete", h.url)
	}
	return usage, nil
}

func fillUsage(u *llm.Usage, r api.ChatResponse) {
	u.PromptTokens, u.CompletionTokens = r.PromptEvalCount, r.EvalCount
	u.Load, u.PromptEval, u.Eval = r.LoadDuration, r.PromptEvalDuration, r.EvalDuration
	u.DoneReason = r.DoneReason
	if u.NumCtx > 0 && r.PromptEvalCount >= u.NumCtx*9/10 {
		u.TruncationRisk = true
	}
}

// numCtx is the request's window, else the model's trained context length,
// capped; never 0.
func (h *Host) numCtx(ctx context.Context, req llm.ChatRequest) int {
	n := req.Options.NumCtx
	if n <= 0 {
		n = h.contextLength(ctx, req.Model)
	}
	if n <= 0 || n > h.numCtxMax {
		n = h.numCtxMax
	}
	return n
}

// estimateTokens is a cheap upper-ish estimate (about 4 bytes a token) used
// only to warn about truncation before sending.
func estimateTokens(msgs []llm.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Content)/4 + 4
	}
	return n
}

func toAPI(msgs []llm.Message) []api.Message {
	out := make([]api.Message, len(msgs))
	for i, m := range msgs {
		out[i] = api.Message{Role: m.Role, Content: m.Content}
	}
	return out
}

func options(o llm.Options, numCtx int) map[string]any {
	m := map[string]any{"num_ctx": numCtx}
	if o.Temperature != nil {
		m["temperature"] = *o.Temperature
	}
	if o.TopP != nil {
		m["top_p"] = *o.TopP
	}
	if o.TopK != nil {
		m["top_k"] = *o.TopK
	}
	if o.Seed != nil {
		m["seed"] = *o.Seed
	}
	if o.MaxTokens > 0 {
		m["num_predict"] = o.MaxTokens
	}
	if len(o.Stop) > 0 {
		m["stop"] = o.Stop
	}
	return m
}

package ollama

import (
	"context"
	"errors"
	"strings"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm"
)

// Pull downloads model onto the host, reporting progress. It returns only
// after Ollama reported success: a cut stream is an error.
func (h *Host) Pull(ctx context.Context, model string, progress func(llm.PullProgress) error) error {
	stream := true
	success := false
	err := h.client.Pull(ctx, &api.PullRequest{Model: model, Stream: &stream}, func(p api.ProgressResponse) error {
		if p.Status == "success" {
			success = true
		}
		if err := progress(llm.PullProgress{Status: p.Status, Digest: p.Digest, Total: p.Total, Completed: p.Completed}); err != nil {
			return callbackError{err}
		}
		return nil
	})
	var cb callbackError
	switch {
	case errors.As(err, &cb):
		return cb.err
	case err != nil:
		return h.pullError(ctx, model, err)
	case !success:
		if e := llm.FromContext(ctx, h.url); e != nil {
			return e
		}
		return llm.Errorf(llm.KindBadResponse, h.url, nil, "the pull of %s ended before it finished", model)
	}
	h.forget(model)
	return nil
}

// pullError names registry answers: a model the registry does not have is
// not found; a registry that cannot be reached is unavailable.
func (h *Host) pullError(ctx context.Context, model string, err error) error {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "file does not exist") || strings.Contains(msg, "manifest unknown") || strings.Contains(msg, "not found"):
		return llm.Errorf(llm.KindModelNotFound, h.url, err, "the registry has no model %q", model)
	case strings.Contains(msg, "dial tcp") || strings.Contains(msg, "no such host") || strings.Contains(msg, "timeout"):
		return llm.Errorf(llm.KindUnavailable, h.url, err, "the Ollama host could not reach the model registry to pull %q", model)
	case strings.Contains(msg, "invalid model name"):
		return llm.Errorf(llm.KindInvalid, h.url, err, "%q is not a valid model name", model)
	}
	return h.classify(ctx, err)
}

// Delete removes model from the host.
func (h *Host) Delete(ctx context.Context, model string) error {
	if err := h.client.Delete(ctx, &api.DeleteRequest{Model: model}); err != nil {
		return h.classify(ctx, err)
	}
	h.forget(model)
	return nil
}

func (h *Host) forget(model string) {
	h.mu.Lock()
	delete(h.ctxLen, model)
	h.mu.Unlock()
}

package server

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
)

type modelRef struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
}

// manager resolves a {provider, model} body to an Ollama host that can
// pull and delete.
func (a *api) manager(e *core.RequestEvent, ref modelRef) (llm.ModelManager, error) {
	if err := validModelRef(ref.Model); err != nil {
		return nil, err
	}
	p, err := a.provider(e, ref.Provider)
	if err != nil {
		return nil, err
	}
	live, err := a.Registry.Open(p)
	if err != nil {
		return nil, err
	}
	m, ok := live.(llm.ModelManager)
	if !ok {
		return nil, fieldError(http.StatusBadRequest, "not_supported", "provider", "Only Ollama hosts can pull and delete models.")
	}
	if !a.Registry.Manageable(p) {
		return nil, errOperatorHost
	}
	return m, nil
}

// errOperatorHost refuses tenant admins on the operator's shared Ollama
// servers, whatever provider row names them: one tenant must not delete
// every tenant's models or fill the operator's disk.
var errOperatorHost = fieldError(http.StatusForbidden, "operator_host", "provider",
	"This is the server operator's shared Ollama host: its models are managed by the operator (a superuser), not by tenants.")

// pullModel answers POST /api/nyx/tenants/{tenant}/models/pull (admin) with
// an SSE stream: "progress" events, then "done" or "error". Bad input is
// refused with a JSON error before the stream starts.
func (a *api) pullModel(e *core.RequestEvent) error {
	var ref modelRef
	if err := a.decode(e, &ref); err != nil {
		return a.fail(e, err)
	}
	m, err := a.manager(e, ref)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "model.pull", "model", strings.TrimSpace(ref.Model), map[string]any{"provider": ref.Provider})
	return a.streamPull(e, m, strings.TrimSpace(ref.Model))
}

// streamPull runs a pull on m as an SSE stream: "progress" events, then
// "done" or "error".
func (a *api) streamPull(e *core.RequestEvent, m llm.ModelManager, model string) error {
	s, err := a.startSSE(e)
	if err != nil {
		return nil // the client went away before the stream started
	}
	defer s.Close()
	err = m.Pull(s.Context(), model, func(p llm.PullProgress) error {
		return s.send("progress", p)
	})
	if err != nil {
		ae := llmError(err)
		if ae == nil {
			return nil // the client went away: nothing left to tell
		}
		s.send("error", ae) //nolint:errcheck // best effort: the client may be gone
		return nil
	}
	s.send("done", map[string]any{"model": model}) //nolint:errcheck // as above
	return nil
}

// deleteModel answers DELETE /api/nyx/tenants/{tenant}/models (admin),
// naming the model in a JSON body or in ?provider=&model=.
func (a *api) deleteModel(e *core.RequestEvent) error {
	ref := modelRef{Provider: e.Request.URL.Query().Get("provider"), Model: e.Request.URL.Query().Get("model")}
	if ref.Provider == "" && ref.Model == "" {
		if err := a.decode(e, &ref); err != nil {
			return a.fail(e, err)
		}
	}
	m, err := a.manager(e, ref)
	if err != nil {
		return a.fail(e, err)
	}
	if err := m.Delete(e.Request.Context(), strings.TrimSpace(ref.Model)); err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "model.delete", "model", strings.TrimSpace(ref.Model), map[string]any{"provider": ref.Provider})
	return e.NoContent(http.StatusNoContent)
}

// validModelRef checks a model name to pull or delete.
func validModelRef(name string) error {
	model := strings.TrimSpace(name)
	if model == "" || len(model) > 200 || strings.ContainsAny(model, " \t\r\n") {
		return fieldError(http.StatusBadRequest, "invalid_model", "model", "Name a model such as llama3.2:3b.")
	}
	return nil
}

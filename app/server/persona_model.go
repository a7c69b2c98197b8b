package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/store"
)

// modelCheckTimeout bounds asking a provider for its models when a persona
// is saved: long enough for a host on the network, short enough that a
// host that does not answer costs a form a few seconds, not a minute.
const modelCheckTimeout = 3 * time.Second

// warning is a remark on a request that succeeded anyway, for the form to
// show beside the saved result.
type warning struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data,omitempty"`
}

// checkPersonaModel checks model against provider p and returns the name
// to store: Ollama names with their implicit ":latest" spelled out, so a
// persona shows and routes by the name Ollama lists. A model the provider
// answered without is refused (422 model_not_found); one that could not
// be checked (provider down or disabled, a cloud alias its list leaves
// out) is saved with a model_unchecked warning, so personas can be
// prepared while a host is down.
func (a *api) checkPersonaModel(ctx context.Context, p store.Provider, model string) (string, []warning, error) {
	if !p.Enabled {
		if p.Kind == llm.KindOllama {
			model = ollama.CanonicalModel(model)
		}
		return model, unchecked(p, model, "the provider is disabled", ""), nil
	}
	ctx, cancel := context.WithTimeout(ctx, modelCheckTimeout)
	defer cancel()
	name, err := a.Registry.CheckModel(ctx, p, model)
	switch {
	case err == nil:
		return name, nil, nil
	case errors.Is(err, llm.ErrModelNotFound):
		return "", nil, &apiError{Status: http.StatusUnprocessableEntity, Code: "model_not_found",
			Message: fmt.Sprintf("The provider %q has no model %q. Pull it, or pick one from the models list.", p.Name, name),
			Data:    map[string]any{"field": "model", "model": name}}
	case errors.Is(err, registry.ErrUnlisted):
		return name, unchecked(p, name, "the provider does not list it (cloud providers accept aliases they do not list)", ""), nil
	}
	code := "provider_unavailable"
	if ae := llmError(err); ae != nil {
		code = ae.Code
	}
	return name, unchecked(p, name, "the provider could not be asked for its models", code), nil
}

// unchecked is the model_unchecked warning; cause is the provider's error
// code when it failed (never its text, which may come from anything at a
// tenant's URL).
func unchecked(p store.Provider, model, why, cause string) []warning {
	w := warning{Code: "model_unchecked", Data: map[string]any{"field": "model", "model": model},
		Message: fmt.Sprintf("Saved, but the model %q was not checked: %s. Turns fail with model_not_found if %q does not have it.", model, why, p.Name)}
	if cause != "" {
		w.Data["cause"] = cause
	}
	return []warning{w}
}

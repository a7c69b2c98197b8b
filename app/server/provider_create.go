package server

import (
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

type createProviderBody struct {
	Kind          string   `json:"kind"`
	Name          string   `json:"name"`
	BaseURL       string   `json:"base_url"`
	APIKey        string   `json:"api_key"`
	EnabledModels []string `json:"enabled_models"`
	Enabled       *bool    `json:"enabled"`
}

// createProvider answers POST /api/nyx/tenants/{tenant}/providers (admin).
// The key is sealed before it reaches the store, bound to this tenant and
// this provider's id.
func (a *api) createProvider(e *core.RequestEvent) error {
	var body createProviderBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	p, key, err := newProviderRow(body)
	if err != nil {
		return a.fail(e, err)
	}
	if err := a.allowedURL(e, p.Kind, p.BaseURL); err != nil {
		return a.fail(e, err)
	}
	p.TenantID, p.ID = tenantID(e), store.NewID()
	if key != "" {
		if p.APIKey, err = a.Registry.SealKey(p.TenantID, p.ID, key); err != nil {
			return a.fail(e, err)
		}
		p.APIKeyLast4 = last4(key)
	}
	created, err := a.Store.CreateProvider(e.Request.Context(), p)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, created.TenantID, "provider.create", "provider", created.ID,
		map[string]any{"kind": created.Kind, "name": created.Name, "base_url": created.BaseURL, "api_key_set": created.APIKey != ""})
	return e.JSON(http.StatusCreated, a.viewProvider(*created))
}

func newProviderRow(body createProviderBody) (store.Provider, string, error) {
	var p store.Provider
	if !slices.Contains(llm.Kinds, body.Kind) {
		return p, "", fieldError(http.StatusBadRequest, "invalid_kind", "kind", "The kind must be one of ollama, openai, anthropic, google.")
	}
	name, err := validName("name", body.Name)
	if err != nil {
		return p, "", err
	}
	base := ""
	if body.BaseURL != "" || body.Kind == llm.KindOllama {
		if base, err = validBaseURL(body.BaseURL); err != nil {
			return p, "", err
		}
	}
	key, err := validKey(body.APIKey)
	if err != nil {
		return p, "", err
	}
	if key == "" && needsKey(body.Kind) {
		return p, "", fieldError(http.StatusBadRequest, "api_key_required", "api_key", "This provider needs an API key.")
	}
	models, err := validModels(body.EnabledModels)
	if err != nil {
		return p, "", err
	}
	enabled := body.Enabled == nil || *body.Enabled
	return store.Provider{Kind: body.Kind, Name: name, BaseURL: base, EnabledModels: models, Enabled: enabled}, key, nil
}

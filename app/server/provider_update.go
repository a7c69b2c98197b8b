package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/store"
)

type updateProviderBody struct {
	Name          optString `json:"name"`
	BaseURL       optString `json:"base_url"`
	APIKey        optString `json:"api_key"` // null or "" removes the key
	EnabledModels *[]string `json:"enabled_models"`
	Enabled       *bool     `json:"enabled"`
}

// updateProvider answers PATCH /api/nyx/tenants/{tenant}/providers/{id} (admin).
func (a *api) updateProvider(e *core.RequestEvent) error {
	var body updateProviderBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	id := e.Request.PathValue("id")
	if id == registry.BuiltinID {
		return a.fail(e, errBuiltin)
	}
	ctx := e.Request.Context()
	cur, err := a.Store.GetProvider(ctx, tenantID(e), id)
	if isProviderNotFound(err) {
		return a.fail(e, errProviderNotFound)
	}
	if err != nil {
		return a.fail(e, err)
	}
	u, err := a.providerUpdate(tenantID(e), cur, body)
	if err != nil {
		return a.fail(e, err)
	}
	if u.BaseURL != nil {
		if err := a.allowedURL(e, cur.Kind, *u.BaseURL); err != nil {
			return a.fail(e, err)
		}
	}
	p, err := a.Store.UpdateProvider(ctx, tenantID(e), id, u)
	if err != nil {
		return a.fail(e, err)
	}
	key := "unchanged"
	if u.APIKey != nil {
		key = map[bool]string{true: "replaced", false: "removed"}[*u.APIKey != ""]
	}
	a.record(e, p.TenantID, "provider.update", "provider", p.ID,
		map[string]any{"name": p.Name, "base_url": p.BaseURL, "enabled": p.Enabled, "api_key": key})
	return e.JSON(http.StatusOK, a.viewProvider(*p))
}

func (a *api) providerUpdate(tenant string, cur *store.Provider, body updateProviderBody) (store.UpdateProvider, error) {
	var u store.UpdateProvider
	var err error
	if body.Name.Set {
		name, err := validName("name", deref(body.Name.Value))
		if err != nil {
			return u, err
		}
		u.Name = &name
	}
	if body.BaseURL.Set {
		base := ""
		if v := deref(body.BaseURL.Value); v != "" || cur.Kind == llm.KindOllama {
			if base, err = validBaseURL(v); err != nil {
				return u, err
			}
		}
		u.BaseURL = &base
	}
	if body.APIKey.Set {
		key, err := validKey(deref(body.APIKey.Value))
		if err != nil {
			return u, err
		}
		if key == "" && needsKey(cur.Kind) {
			return u, fieldError(http.StatusBadRequest, "api_key_required", "api_key", "This provider needs an API key.")
		}
		sealed, tail := "", ""
		if key != "" {
			if sealed, err = a.Registry.SealKey(tenant, cur.ID, key); err != nil {
				return u, err
			}
			tail = last4(key)
		}
		u.APIKey, u.APIKeyLast4 = &sealed, &tail
	}
	if body.EnabledModels != nil {
		models, err := validModels(*body.EnabledModels)
		if err != nil {
			return u, err
		}
		u.EnabledModels = &models
	}
	u.Enabled = body.Enabled
	return u, nil
}

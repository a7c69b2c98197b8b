package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/store"
)

// providerView is a provider as the API shows it: the key never, only
// whether one is set and its last four characters.
type providerView struct {
	ID            string    `json:"id"`
	Kind          string    `json:"kind"`
	Name          string    `json:"name"`
	BaseURL       string    `json:"base_url"`
	APIKeySet     bool      `json:"api_key_set"`
	APIKeyLast4   string    `json:"api_key_last4"`
	EnabledModels []string  `json:"enabled_models"`
	Enabled       bool      `json:"enabled"`
	Builtin       bool      `json:"builtin"`
	Operator      bool      `json:"operator"`   // one of the operator's shared Ollama servers
	Manageable    bool      `json:"manageable"` // this tenant's admins may pull and delete models there
	CreatedAt     time.Time `json:"created_at,omitzero"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}

func (a *api) viewProvider(p store.Provider) providerView {
	models := p.EnabledModels
	if models == nil {
		models = []string{}
	}
	return providerView{ID: p.ID, Kind: p.Kind, Name: p.Name, BaseURL: p.BaseURL, APIKeySet: p.APIKey != "",
		APIKeyLast4: p.APIKeyLast4, EnabledModels: models, Enabled: p.Enabled, Builtin: p.ID == registry.BuiltinID,
		Operator: p.Kind == llm.KindOllama && a.Registry.IsOperatorHost(p.Kind, p.BaseURL), Manageable: a.Registry.Manageable(p),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// tenantProviders is the tenant's providers with the built-in one.
func (a *api) tenantProviders(e *core.RequestEvent) ([]store.Provider, error) {
	rows, err := a.Store.ListProviders(e.Request.Context(), tenantID(e))
	if err != nil {
		return nil, err
	}
	return a.Registry.WithBuiltin(tenantID(e), rows), nil
}

// provider finds one of the tenant's providers by id, built-in included.
func (a *api) provider(e *core.RequestEvent, id string) (store.Provider, error) {
	rows, err := a.tenantProviders(e)
	if err != nil {
		return store.Provider{}, err
	}
	for _, p := range rows {
		if p.ID == id {
			return p, nil
		}
	}
	return store.Provider{}, errProviderNotFound
}

// validBaseURL accepts absolute http(s) URLs only, whose host is a DNS name
// or a canonical IP address (never 127.1, 2130706433, 0x7f000001...).
func validBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fieldError(http.StatusBadRequest, "invalid_base_url", "base_url", "The base URL must be an http:// or https:// address, like http://gpu-box:11434.")
	}
	if err := outbound.ValidHost(u.Hostname()); err != nil {
		return "", fieldError(http.StatusBadRequest, "invalid_host", "base_url", "The base URL's host must be a name or a plain IP address such as 10.0.0.5 (no short, octal, hex or decimal forms).")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// allowedURL refuses base URLs that reach addresses the operator did not
// allow (loopback, private networks, cloud metadata...).
func (a *api) allowedURL(e *core.RequestEvent, kind, base string) error {
	if base == "" {
		return nil
	}
	err := a.Registry.CheckURL(e.Request.Context(), kind, base)
	switch {
	case errors.Is(err, outbound.ErrInvalidHost):
		return fieldError(http.StatusBadRequest, "invalid_host", "base_url", "The base URL's host must be a name or a plain IP address such as 10.0.0.5 (no short, octal, hex or decimal forms).")
	case err != nil:
		return fieldError(http.StatusBadRequest, "forbidden_url", "base_url", "This server may not connect there: "+strings.TrimPrefix(err.Error(), "outbound address not allowed: ")+".")
	}
	return nil
}

// validKey trims an API key and bounds its size.
func validKey(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 1024 || strings.ContainsAny(s, " \t\r\n") {
		return "", fieldError(http.StatusBadRequest, "invalid_api_key", "api_key", "That does not look like an API key.")
	}
	return s, nil
}

func last4(key string) string {
	if len(key) <= 4 {
		return ""
	}
	return key[len(key)-4:]
}

// validModels cleans a list of model names.
func validModels(in []string) ([]string, error) {
	out := []string{}
	for _, m := range in {
		m = strings.TrimSpace(m)
		if m == "" || len(m) > 200 {
			return nil, fieldError(http.StatusBadRequest, "invalid_field", "enabled_models", "Model names must be 1 to 200 characters.")
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

func isProviderNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// needsKey lists kinds that cannot work without a key (OpenAI-compatible
// local servers often need none).
func needsKey(kind string) bool { return kind == llm.KindAnthropic || kind == llm.KindGoogle }

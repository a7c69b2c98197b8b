// Package anthropic is the llm.Provider for Anthropic's Messages API,
// through the official anthropic-sdk-go v2 SDK (API version 2026-10-21).
package anthropic

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/nyxcore/nyxcore/app/llm"
)

// DefaultBaseURL is Anthropic's own API.
const DefaultBaseURL = "https://api.anthropic.com"

// Config is one configured endpoint.
type Config struct {
	// BaseURL is the API root without /v1; empty means DefaultBaseURL.
	BaseURL string
	APIKey  string
	// HTTPClient carries timeouts and proxies; nil means defaultClient.
	HTTPClient *http.Client
}

// Provider talks to the Anthropic API. It is safe for concurrent use.
type Provider struct {
	messages sdk.MessageService
	models   sdk.ModelService
	host     string
	key      string
}

// New validates cfg and builds a provider. It makes no request.
func New(cfg Config) (*Provider, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, llm.Errorf(llm.KindInvalid, llm.KindAnthropic, err, "the base URL %q is not an http(s) URL", base)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = llm.HTTPClient()
	}
	// WithoutEnvironmentDefaults keeps ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
	// profiles and ANTHROPIC_CUSTOM_HEADERS of the host process away from a
	// tenant's endpoint.
	//
	// The two services are built directly rather than through sdk.NewClient
	// (the SDK supports this: the last credential option wins): the client
	// also holds the Beta, Files, Skills and admin services, and holding them
	// keeps every method of their hundreds of types in the binary — about
	// 12 MB, since PocketBase's text/template already stops the linker from
	// dropping unused exported methods. WithEnvironmentProduction is what
	// NewClient puts first when environment defaults are off.
	opts := []option.RequestOption{
		option.WithEnvironmentProduction(),
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(base),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	if cfg.APIKey != "" {
		// Without a key no Authorization header is sent at all, rather than
		// an empty "Bearer ".
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	return &Provider{messages: sdk.NewMessageService(opts...), models: sdk.NewModelService(opts...), host: u.Host, key: cfg.APIKey}, nil
}

// Kind is llm.KindAnthropic.
func (p *Provider) Kind() string { return llm.KindAnthropic }

// Models lists the models with their input window, following every page.
func (p *Provider) Models(ctx context.Context) ([]llm.Model, error) {
	pager := p.models.ListAutoPaging(ctx, sdk.ModelListParams{Limit: sdk.Int(1000)})
	var out []llm.Model
	for pager.Next() {
		m := pager.Current()
		out = append(out, llm.Model{Name: m.ID, ContextLength: int(m.MaxInputTokens)})
	}
	if err := pager.Err(); err != nil {
		return nil, p.classify(ctx, err, opList)
	}
	return out, nil
}

// Health lists the models: cheap, and it proves the key.
func (p *Provider) Health(ctx context.Context) error {
	_, err := p.Models(ctx)
	return err
}

// String names the endpoint. With GoString it keeps the key out of logs
// that print a provider.
func (p *Provider) String() string { return fmt.Sprintf("anthropic(%s)", p.host) }

// GoString is String, for %#v.
func (p *Provider) GoString() string { return p.String() }

var _ llm.Provider = (*Provider)(nil)

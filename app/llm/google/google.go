// Package google is the llm.Provider for the Gemini API
// (generativelanguage.googleapis.com), through the official
// google.golang.org/genai SDK.
package google

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"google.golang.org/genai"

	"github.com/nyxcore/nyxcore/app/llm"
)

// DefaultBaseURL is the Gemini API.
const DefaultBaseURL = "https://generativelanguage.googleapis.com"

// Config is one configured endpoint.
type Config struct {
	// BaseURL is the API root without /v1beta; empty means DefaultBaseURL.
	BaseURL string
	// APIKey is required: without it the SDK would fall back to the host's
	// GOOGLE_API_KEY or GEMINI_API_KEY.
	APIKey string
	// HTTPClient carries timeouts and proxies; nil means defaultClient.
	HTTPClient *http.Client
}

// Provider talks to the Gemini API. It is safe for concurrent use.
type Provider struct {
	client *genai.Client
	host   string
	key    string
}

// New validates cfg and builds a provider. It makes no request.
func New(cfg Config) (*Provider, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, llm.Errorf(llm.KindInvalid, llm.KindGoogle, err, "the base URL %q is not an http(s) URL", base)
	}
	if cfg.APIKey == "" {
		return nil, llm.Errorf(llm.KindAuth, llm.KindGoogle, nil, "an API key is required")
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = llm.HTTPClient()
	}
	// The backend, key and base URL are all explicit, so the SDK reads
	// nothing it uses from the environment; it makes no request here.
	client, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey:      cfg.APIKey,
		Backend:     genai.BackendGeminiAPI,
		HTTPClient:  hc,
		HTTPOptions: genai.HTTPOptions{BaseURL: strings.TrimSuffix(base, "/") + "/"},
	})
	if err != nil {
		return nil, llm.Errorf(llm.KindInvalid, llm.KindGoogle, llm.Redact(err, cfg.APIKey), "the Gemini client cannot be built")
	}
	return &Provider{client: client, host: u.Host, key: cfg.APIKey}, nil
}

// Kind is llm.KindGoogle.
func (p *Provider) Kind() string { return llm.KindGoogle }

// Models lists the models that can generate content, with their input
// window, following every page. Names lose the "models/" prefix.
func (p *Provider) Models(ctx context.Context) ([]llm.Model, error) {
	var out []llm.Model
	for m, err := range p.client.Models.All(ctx) {
		if err != nil {
			return nil, p.classify(ctx, err, opList)
		}
		if len(m.SupportedActions) > 0 && !slices.Contains(m.SupportedActions, "generateContent") {
			continue // embedding and other non-chat models
		}
		out = append(out, llm.Model{Name: strings.TrimPrefix(m.Name, "models/"), ContextLength: int(m.InputTokenLimit)})
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
func (p *Provider) String() string { return fmt.Sprintf("google(%s)", p.host) }

// GoString is String, for %#v.
func (p *Provider) GoString() string { return p.String() }

var _ llm.Provider = (*Provider)(nil)

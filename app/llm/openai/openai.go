// Package openai is the llm.Provider for OpenAI's chat completions API and
// the servers that copy it (vLLM, LM Studio, llama.cpp server, Ollama's
// /v1), through the official openai-go SDK.
package openai

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/nyxcore/nyxcore/app/llm"
)

// DefaultBaseURL is OpenAI's own API.
const DefaultBaseURL = "https://api.openai.com/v1"

// Config is one configured endpoint.
type Config struct {
	// BaseURL is the API root including /v1; empty means DefaultBaseURL.
	BaseURL string
	APIKey  string
	// HTTPClient carries timeouts and proxies; nil means defaultClient.
	HTTPClient *http.Client
}

// Provider talks to one OpenAI-compatible endpoint. It is safe for
// concurrent use.
type Provider struct {
	chat   sdk.ChatCompletionService
	models sdk.ModelService
	host   string
	key    string
	// official is set for api.openai.com, which refuses parameters other
	// servers accept (top_k) and wants max_completion_tokens.
	official bool
}

// New validates cfg and builds a provider. It makes no request.
func New(cfg Config) (*Provider, error) {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, llm.Errorf(llm.KindInvalid, llm.KindOpenAI, err, "the base URL %q is not an http(s) URL", base)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = llm.HTTPClient()
	}
	// The services are built directly rather than through sdk.NewClient,
	// which would add OPENAI_API_KEY, OPENAI_ORG_ID, OPENAI_PROJECT_ID and
	// OPENAI_CUSTOM_HEADERS from the process environment: a tenant's
	// endpoint must never receive the host's credentials.
	opts := []option.RequestOption{
		option.WithBaseURL(base),
		option.WithAPIKey(cfg.APIKey),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	}
	return &Provider{
		chat:     sdk.NewChatCompletionService(opts...),
		models:   sdk.NewModelService(opts...),
		host:     u.Host,
		key:      cfg.APIKey,
		official: strings.EqualFold(u.Hostname(), "api.openai.com"),
	}, nil
}

// Kind is llm.KindOpenAI.
func (p *Provider) Kind() string { return llm.KindOpenAI }

// Models lists the endpoint's models. OpenAI reports no context length;
// vLLM's max_model_len is used when present.
func (p *Provider) Models(ctx context.Context) ([]llm.Model, error) {
	pager := p.models.ListAutoPaging(ctx)
	var out []llm.Model
	for pager.Next() {
		m := pager.Current()
		lm := llm.Model{Name: m.ID, Family: m.OwnedBy}
		if f, ok := m.JSON.ExtraFields["max_model_len"]; ok {
			lm.ContextLength, _ = strconv.Atoi(f.Raw())
		}
		out = append(out, lm)
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
func (p *Provider) String() string { return fmt.Sprintf("openai(%s)", p.host) }

// GoString is String, for %#v.
func (p *Provider) GoString() string { return p.String() }

var _ llm.Provider = (*Provider)(nil)

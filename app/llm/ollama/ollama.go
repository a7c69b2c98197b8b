// Package ollama talks to Ollama hosts through the official api package:
// one Host per server (models, streamed chat with an explicit num_ctx,
// pull and delete) and a Pool that routes a chat to a healthy host that
// has the model, preferring one where it is already loaded, and fails over
// when a host is down. Health is checked in the background; a request
// never waits on a health check.
package ollama

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/nyxcore/nyxcore/app/llm"
)

// DefaultNumCtxMax caps the context window nyxCore asks Ollama for: models
// advertise up to 128k tokens, which would need far more memory than a
// home-lab box has.
const DefaultNumCtxMax = 8192

// Host is one Ollama server. It is safe for concurrent use.
type Host struct {
	url       string
	client    *api.Client
	http      *http.Client // for streaming chat (see streamChat)
	numCtxMax int
	// showErrors: see Options.ShowErrors.
	showErrors bool

	mu     sync.Mutex
	ctxLen map[string]int // model -> context length from /api/show
	state  hostState
}

// hostState is what the last background check saw.
type hostState struct {
	checked time.Time
	healthy bool
	models  map[string]bool
	loaded  map[string]bool
	err     error
}

// Options configure a Host.
type Options struct {
	// NumCtxMax caps num_ctx (DefaultNumCtxMax when 0).
	NumCtxMax int
	// HTTPClient overrides the transport (tests); it must not set a
	// Timeout, which would cut long streams.
	HTTPClient *http.Client
	// ShowErrors lets excerpts of the server's error texts reach users
	// even where they cannot be told apart from a raw body: set for the
	// operator's own servers, never for tenant-supplied URLs.
	ShowErrors bool
}

// NewHost returns a Host for base, which may be "host:port" or a URL.
func NewHost(base string, opts Options) (*Host, error) {
	u, err := ParseURL(base)
	if err != nil {
		return nil, err
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ResponseHeaderTimeout: 5 * time.Minute, // a cold model load can take minutes
			MaxIdleConnsPerHost:   64,              // concurrent turns reuse connections
		}}
	}
	n := opts.NumCtxMax
	if n <= 0 {
		n = DefaultNumCtxMax
	}
	return &Host{url: u.String(), client: api.NewClient(u, hc), http: hc, numCtxMax: n, showErrors: opts.ShowErrors, ctxLen: map[string]int{}}, nil
}

// ParseURL accepts what OLLAMA_HOST accepts ("host", "host:port",
// "http(s)://host:port") and refuses other schemes.
func ParseURL(base string) (*url.URL, error) {
	s := strings.TrimSpace(base)
	if s == "" {
		return nil, llm.Errorf(llm.KindInvalid, "ollama", nil, "no Ollama host given")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, llm.Errorf(llm.KindInvalid, "ollama", err, "%q is not an http(s) address", base)
	}
	if u.Port() == "" && u.Scheme == "http" {
		u.Host = net.JoinHostPort(u.Hostname(), "11434")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

// URL is the host's base URL.
func (h *Host) URL() string { return h.url }

// Kind returns llm.KindOllama.
func (h *Host) Kind() string { return llm.KindOllama }

// Health asks the server for its version.
func (h *Host) Health(ctx context.Context) error {
	if _, err := h.client.Version(ctx); err != nil {
		return h.classify(ctx, err)
	}
	return nil
}

// Models lists the host's models, marking those loaded in memory.
func (h *Host) Models(ctx context.Context) ([]llm.Model, error) {
	list, err := h.client.List(ctx)
	if err != nil {
		return nil, h.classify(ctx, err)
	}
	running, err := h.client.ListRunning(ctx)
	if err != nil {
		return nil, h.classify(ctx, err)
	}
	loaded := map[string]int{}
	for _, r := range running.Models {
		loaded[r.Name] = r.ContextLength
	}
	out := make([]llm.Model, 0, len(list.Models))
	for _, m := range list.Models {
		_, isLoaded := loaded[m.Name]
		out = append(out, llm.Model{
			Name: m.Name, Family: m.Details.Family, ParameterSize: m.Details.ParameterSize,
			Quantization: m.Details.QuantizationLevel, Size: m.Size, Digest: m.Digest, ModifiedAt: m.ModifiedAt,
			Loaded: isLoaded, ContextLength: h.contextLength(ctx, m.Name),
		})
	}
	return out, nil
}

// contextLength reads a model's trained context length from /api/show,
// cached per model; 0 when unknown.
func (h *Host) contextLength(ctx context.Context, model string) int {
	h.mu.Lock()
	n, ok := h.ctxLen[model]
	h.mu.Unlock()
	if ok {
		return n
	}
	show, err := h.client.Show(ctx, &api.ShowRequest{Model: model})
	if err != nil {
		return 0
	}
	for k, v := range show.ModelInfo {
		if strings.HasSuffix(k, ".context_length") {
			if f, ok := v.(float64); ok {
				n = int(f)
			}
		}
	}
	h.mu.Lock()
	h.ctxLen[model] = n
	h.mu.Unlock()
	return n
}

var _ llm.Provider = (*Host)(nil)
var _ llm.ModelManager = (*Host)(nil)

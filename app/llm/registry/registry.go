// Package registry turns a tenant's stored provider configurations into
// live llm.Providers: it opens sealed API keys, shares one Ollama host
// client (and its background health checks) across tenants that use the
// same server, routes Ollama chats within the pool a provider may use
// (see Chat), and adds the built-in local Ollama in embedded mode.
package registry

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/anthropic"
	"github.com/nyxcore/nyxcore/app/llm/google"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/llm/openai"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
)

// BuiltinID is the provider id of the local Ollama every tenant gets in
// embedded mode without configuring anything.
const BuiltinID = "local-ollama"

// Options configure a Registry.
type Options struct {
	Keyring *secret.Keyring
	// BuiltinOllama is the local Ollama URL offered to every tenant; empty
	// offers none (production, where admins add hosts explicitly).
	BuiltinOllama string
	NumCtxMax     int
	// Outbound guards every connection to a tenant-configured URL; nil
	// allows everything (tests of the registry alone).
	Outbound *outbound.Policy
	// OperatorOllama lists the Ollama servers the operator configured
	// (ollama.host, ollama.pool; the built-in one is added). A tenant URL
	// at exactly one of them is trusted but not the tenant's to manage;
	// any other route to them is refused.
	OperatorOllama []string
	// TenantManage lets tenant admins pull and delete models on operator
	// servers too.
	TenantManage bool
	// FailoverToOperator lets a chat pinned to a tenant's own Ollama host
	// move to the operator's servers when that host is down (see Chat).
	FailoverToOperator bool
	// Logger receives chats that found no host to answer; nil:
	// slog.Default().
	Logger *slog.Logger
}

// Registry is safe for concurrent use.
type Registry struct {
	opts    Options
	checker *ollama.Checker
	// operator maps each operator server's host key (see hostKey) to its
	// normalised URL; tenant is the outbound policy for everything else,
	// with the operator servers reserved. Both are fixed at New.
	operator map[string]string
	tenant   *outbound.Policy

	mu     sync.Mutex
	hosts  map[string]*ollama.Host
	clouds map[string]cloud
}

// cloud is an opened cloud provider, valid while its row is unchanged.
type cloud struct {
	updated time.Time
	p       llm.Provider
}

// New returns a Registry. Operator servers that do not parse are left out
// (the configuration is validated before).
func New(opts Options) *Registry {
	r := &Registry{opts: opts, checker: ollama.NewChecker(), hosts: map[string]*ollama.Host{}, clouds: map[string]cloud{},
		operator: map[string]string{}, tenant: opts.Outbound}
	for _, raw := range append([]string{opts.BuiltinOllama}, opts.OperatorOllama...) {
		u, err := ollama.ParseURL(raw)
		key := hostKey(llm.KindOllama, raw)
		if raw == "" || err != nil || key == "" {
			continue
		}
		r.operator[key] = u.String()
		if r.tenant != nil {
			_, hostport, _ := strings.Cut(key, "://")
			if p, err := r.tenant.WithReserved(hostport); err == nil {
				r.tenant = p
			}
		}
	}
	return r
}

// Run checks Ollama hosts in the background until ctx ends.
func (r *Registry) Run(ctx context.Context, interval time.Duration) { r.checker.Run(ctx, interval) }

// CheckURL tells whether a tenant may point a provider of kind at raw:
// an operator server's own address is trusted, anything else must pass
// the outbound policy (where the operator servers are reserved).
func (r *Registry) CheckURL(ctx context.Context, kind, raw string) error {
	if r.tenant == nil || r.IsOperatorHost(kind, raw) {
		return nil
	}
	return r.tenant.CheckURL(ctx, raw)
}

// IsOperatorHost reports whether raw (a provider base URL of kind) is one
// of the operator's Ollama servers, matched by scheme, host and port.
func (r *Registry) IsOperatorHost(kind, raw string) bool {
	_, ok := r.operator[hostKey(kind, raw)]
	return ok
}

// Manageable reports whether a tenant admin may pull and delete models on
// provider p: only on Ollama hosts the tenant added, which are not the
// operator's, unless the operator delegated that.
func (r *Registry) Manageable(p store.Provider) bool {
	return p.Kind == llm.KindOllama && (r.opts.TenantManage || !r.IsOperatorHost(p.Kind, p.BaseURL))
}

// OperatorHost returns the shared client of operator server raw, for
// superusers managing its models; false when raw is not one.
func (r *Registry) OperatorHost(raw string) (*ollama.Host, bool) {
	u, ok := r.operator[hostKey(llm.KindOllama, raw)]
	if !ok {
		return nil, false
	}
	h, err := r.host(u)
	return h, err == nil
}

// OperatorHosts lists the operator's Ollama servers (normalised URLs).
func (r *Registry) OperatorHosts() []string {
	out := make([]string, 0, len(r.operator))
	for _, u := range r.operator {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// hostKey is scheme://host:port of raw with the kind's default port, ""
// when raw does not parse. Paths do not matter: the server is the same.
func hostKey(kind, raw string) string {
	var u *url.URL
	var err error
	if kind == llm.KindOllama {
		u, err = ollama.ParseURL(raw)
	} else {
		u, err = url.Parse(strings.TrimSpace(raw))
	}
	if err != nil || u.Hostname() == "" {
		return ""
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	return u.Scheme + "://" + net.JoinHostPort(host, port)
}

// client is the HTTP client for a provider URL of kind: the provider's
// default for the operator's servers, a policy-checked one otherwise.
func (r *Registry) client(kind, raw string) *http.Client {
	if r.tenant == nil || r.IsOperatorHost(kind, raw) {
		return nil // the provider's default
	}
	return r.tenant.Client()
}

// KeyAD binds a provider's sealed API key to its tenant and row.
func KeyAD(tenantID, providerID string) secret.AD {
	return secret.AD{Tenant: tenantID, Purpose: "provider:" + providerID + ":api_key"}
}

// SealKey encrypts a provider's API key for storage.
func (r *Registry) SealKey(tenantID, providerID, key string) (string, error) {
	return r.opts.Keyring.Seal([]byte(key), KeyAD(tenantID, providerID))
}

// WithBuiltin returns rows with the built-in local Ollama first, when this
// server offers one.
func (r *Registry) WithBuiltin(tenantID string, rows []store.Provider) []store.Provider {
	if r.opts.BuiltinOllama == "" {
		return rows
	}
	b := store.Provider{ID: BuiltinID, TenantID: tenantID, Kind: llm.KindOllama, Name: "Local Ollama",
		BaseURL: r.opts.BuiltinOllama, Enabled: true}
	return append([]store.Provider{b}, rows...)
}

// Open returns the live provider for a row.
func (r *Registry) Open(p store.Provider) (llm.Provider, error) {
	if p.Kind == llm.KindOllama {
		return r.host(p.BaseURL)
	}
	r.mu.Lock()
	c, ok := r.clouds[p.TenantID+"/"+p.ID]
	r.mu.Unlock()
	if ok && c.updated.Equal(p.UpdatedAt) {
		return c.p, nil
	}
	prov, err := r.openCloud(p)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.clouds[p.TenantID+"/"+p.ID] = cloud{updated: p.UpdatedAt, p: prov}
	r.mu.Unlock()
	return prov, nil
}

func (r *Registry) openCloud(p store.Provider) (llm.Provider, error) {
	key := ""
	if p.APIKey != "" {
		clear, err := r.opts.Keyring.Open(p.APIKey, KeyAD(p.TenantID, p.ID))
		if err != nil {
			return nil, llm.Errorf(llm.KindAuth, p.Kind, err, "the stored key of provider %q cannot be opened; set it again", p.Name)
		}
		key = string(clear)
	}
	switch p.Kind {
	case llm.KindOpenAI:
		return openai.New(openai.Config{BaseURL: p.BaseURL, APIKey: key, HTTPClient: r.client(p.Kind, p.BaseURL)})
	case llm.KindAnthropic:
		return anthropic.New(anthropic.Config{BaseURL: p.BaseURL, APIKey: key, HTTPClient: r.client(p.Kind, p.BaseURL)})
	case llm.KindGoogle:
		return google.New(google.Config{BaseURL: p.BaseURL, APIKey: key, HTTPClient: r.client(p.Kind, p.BaseURL)})
	}
	return nil, llm.Errorf(llm.KindInvalid, p.Kind, nil, "unknown provider kind %q", p.Kind)
}

// host returns the shared client of an Ollama server, watched by the
// background checker.
func (r *Registry) host(base string) (*ollama.Host, error) {
	u, err := ollama.ParseURL(base)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if h, ok := r.hosts[u.String()]; ok {
		return h, nil
	}
	h, err := ollama.NewHost(u.String(), ollama.Options{NumCtxMax: r.opts.NumCtxMax, HTTPClient: r.client(llm.KindOllama, u.String()),
		ShowErrors: r.IsOperatorHost(llm.KindOllama, u.String())})
	if err != nil {
		return nil, err
	}
	r.hosts[u.String()] = h
	r.checker.Watch(h)
	return h, nil
}

// String names the registry in logs.
func (r *Registry) String() string { return fmt.Sprintf("registry(%d ollama hosts)", len(r.hosts)) }

// Personas speaks as personas through a tenant's stored providers (and
// the built-in one): it is what discussions and the persona "try" box use.
type Personas struct {
	Registry  *Registry
	Providers store.ProviderStore
}

// Chat streams persona p's reply to req in tenantID.
func (ps Personas) Chat(ctx context.Context, tenantID string, p store.Persona, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	rows, err := ps.Providers.ListProviders(ctx, tenantID)
	if err != nil {
		return llm.Usage{}, llm.Errorf(llm.KindUnavailable, "", err, "the tenant's providers cannot be read")
	}
	return ps.Registry.Chat(ctx, ps.Registry.WithBuiltin(tenantID, rows), p.ProviderID, req, onDelta)
}

// ConfigOptions are the registry options of a server configured by cfg:
// the built-in Ollama in embedded mode, the operator's Ollama servers
// (ollama.host and ollama.pool, in both modes) and guard for everything
// tenants configure.
func ConfigOptions(cfg *config.Config, ring *secret.Keyring, guard *outbound.Policy) Options {
	builtin := ""
	if cfg.Mode() == config.ModeEmbedded {
		builtin = cfg.Ollama.Host
	}
	return Options{Keyring: ring, BuiltinOllama: builtin, NumCtxMax: cfg.Ollama.NumCtxMax, Outbound: guard,
		OperatorOllama: cfg.Ollama.OperatorHosts(), TenantManage: cfg.Ollama.TenantManage,
		FailoverToOperator: cfg.Ollama.FailoverToOperator}
}

// TenantManages reports whether tenant admins may manage operator servers.
func (r *Registry) TenantManages() bool { return r.opts.TenantManage }

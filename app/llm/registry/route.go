package registry

import (
	"context"
	"errors"
	"log/slog"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/llm/ollama"
	"github.com/nyxcore/nyxcore/app/store"
)

// Chat runs req through provider providerID of rows (the tenant's
// providers, built-in included). The usage's Host is the server that
// actually answered.
//
// Which Ollama servers may answer depends on the provider:
//   - the built-in provider, or a tenant's provider at one of the
//     operator's addresses: any of the operator's servers (ollama.host and
//     ollama.pool) that has the model, routed as ollama.Route does;
//   - any other (a tenant's own host): that host only. Its personas never
//     move to another tenant row or to the operator's servers, unless the
//     operator set FailoverToOperator; then, and only while nothing has
//     been streamed, a host that cannot be reached hands the chat to the
//     operator's servers.
//
// When no server could be reached the error is of kind llm.KindUnavailable
// and is logged with the tenant, provider and host.
func (r *Registry) Chat(ctx context.Context, rows []store.Provider, providerID string, req llm.ChatRequest, onDelta func(string) error) (llm.Usage, error) {
	target := find(rows, providerID)
	if target == nil || !target.Enabled {
		return llm.Usage{}, llm.Errorf(llm.KindInvalid, "", nil, "the provider is missing or disabled")
	}
	if target.Kind != llm.KindOllama {
		p, err := r.Open(*target)
		if err != nil {
			return llm.Usage{}, err
		}
		return p.Chat(ctx, req, onDelta)
	}
	pinned, err := r.host(target.BaseURL)
	if err != nil {
		return llm.Usage{}, err
	}
	if r.operatorPool(*target) {
		usage, err := ollama.Chat(ctx, r.operatorHosts(pinned), pinned.URL(), req, onDelta)
		r.logRoute(*target, pinned, usage, err)
		return usage, err
	}
	streamed := false
	deltas := func(s string) error { streamed = true; return onDelta(s) }
	usage, err := ollama.Chat(ctx, []*ollama.Host{pinned}, pinned.URL(), req, deltas)
	if err != nil && !streamed && errors.Is(err, llm.ErrUnavailable) && r.opts.FailoverToOperator {
		if hosts := r.operatorHosts(nil); len(hosts) > 0 {
			r.log().Warn("nyx: ollama host unreachable, failing over to the operator's servers", "tenant", target.TenantID,
				"provider", target.ID, "host", pinned.URL(), "error_class", string(llm.KindOf(err)), "error", err.Error())
			u, ferr := ollama.Chat(ctx, hosts, "", req, deltas)
			if ferr == nil || streamed || !errors.Is(ferr, llm.ErrModelNotFound) {
				usage, err = u, ferr
			} // else: none of them has the model; the pinned host's failure says more
		}
	}
	r.logRoute(*target, pinned, usage, err)
	return usage, err
}

func find(rows []store.Provider, id string) *store.Provider {
	for i := range rows {
		if rows[i].ID == id {
			return &rows[i]
		}
	}
	return nil
}

// operatorPool reports whether p's chats may go to any operator server:
// p is the built-in provider or names one of the operator's servers.
func (r *Registry) operatorPool(p store.Provider) bool {
	return p.ID == BuiltinID || r.IsOperatorHost(p.Kind, p.BaseURL)
}

// operatorHosts is first (when not nil), then each operator server in
// configuration order: the built-in one, ollama.host, ollama.pool.
func (r *Registry) operatorHosts(first *ollama.Host) []*ollama.Host {
	var hosts []*ollama.Host
	if first != nil {
		hosts = append(hosts, first)
	}
	for _, raw := range append([]string{r.opts.BuiltinOllama}, r.opts.OperatorOllama...) {
		u, ok := r.operator[hostKey(llm.KindOllama, raw)]
		if raw == "" || !ok {
			continue
		}
		if h, err := r.host(u); err == nil && !containsHost(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

func containsHost(hosts []*ollama.Host, h *ollama.Host) bool {
	for _, x := range hosts {
		if x == h {
			return true
		}
	}
	return false
}

// logRoute logs a chat no server answered, and one answered by another
// server than the provider's own.
func (r *Registry) logRoute(p store.Provider, pinned *ollama.Host, usage llm.Usage, err error) {
	switch {
	case err != nil && errors.Is(err, llm.ErrUnavailable):
		r.log().Error("nyx: no ollama host answered", "tenant", p.TenantID, "provider", p.ID, "host", pinned.URL(),
			"error_class", string(llm.KindOf(err)), "error", err.Error())
	case err == nil && usage.Host != "" && usage.Host != pinned.URL():
		r.log().Info("nyx: ollama chat served by another host", "tenant", p.TenantID, "provider", p.ID, "host", pinned.URL(),
			"served_by", usage.Host)
	}
}

func (r *Registry) log() *slog.Logger {
	if r.opts.Logger != nil {
		return r.opts.Logger
	}
	return slog.Default()
}

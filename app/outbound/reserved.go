package outbound

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"time"
)

// WithReserved returns a copy of p that refuses the given host:port
// endpoints even where a range would allow them: the operator's own
// servers (the shared Ollama hosts), which tenants may use only through
// the exact URL the operator configured, so that an alias (localhost for
// 127.0.0.1, a name of their own pointing there, a DNS answer that changes)
// cannot turn the operator's host into one the tenant manages. A named
// endpoint is resolved when a connection's port matches it.
func (p *Policy) WithReserved(hostports ...string) (*Policy, error) {
	q := *p
	q.reserved = slices.Clone(p.reserved)
	for _, hp := range hostports {
		ep, err := parseEndpoint(hp)
		if err != nil {
			return nil, fmt.Errorf("outbound: reserved endpoint %q: %w", hp, err)
		}
		q.reserved = append(q.reserved, ep)
	}
	return &q, nil
}

// checkReserved refuses ap when it is one of the reserved endpoints.
func (p *Policy) checkReserved(ap netip.AddrPort) error {
	addr := ap.Addr().Unmap()
	for _, ep := range p.reserved {
		if ep.port != ap.Port() {
			continue
		}
		if p.endpointHas(ep, addr) {
			return fmt.Errorf("%w: %s is the operator's own server; use the address the operator configured for it", ErrForbidden, netip.AddrPortFrom(addr, ap.Port()))
		}
	}
	return nil
}

// endpointHas reports whether ep (an address or a name) is addr. A name
// that does not resolve now is not addr.
func (p *Policy) endpointHas(ep endpoint, addr netip.Addr) bool {
	if a, err := netip.ParseAddr(ep.host); err == nil {
		return a.Unmap() == addr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	addrs, err := p.resolver.LookupNetIP(ctx, "ip", ep.host)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(addrs, func(a netip.Addr) bool { return a.Unmap() == addr })
}

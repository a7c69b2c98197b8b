// Package outbound decides which addresses the server may connect to on a
// tenant's behalf. Every URL a tenant can configure (provider base URLs,
// later webhooks) goes through a Policy, which refuses loopback, private,
// link-local (cloud metadata), unspecified and multicast addresses unless
// the operator allowed them, by range or as exact host:port endpoints. The
// check runs when a URL is saved (after DNS resolution, for a clear error),
// on every redirect hop, and again on every connection (on the address
// actually dialled), so DNS rebinding cannot slip past it. Operator
// endpoints (the Ollama hosts set by flags or environment) do not go
// through a Policy at all: the operator chose them.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrForbidden is returned (wrapped) for an address the policy refuses.
var ErrForbidden = errors.New("outbound address not allowed")

// Policy is safe for concurrent use; it is never changed after Parse (the
// With methods return copies).
type Policy struct {
	loopback  bool
	private   bool
	prefixes  []netip.Prefix
	endpoints []endpoint
	reserved  []endpoint
	resolver  *net.Resolver
}

// endpoint is one exact host:port the operator allowed. host is a
// canonical IP address or a lower-case DNS name.
type endpoint struct {
	host string
	port uint16
}

// Parse reads a comma-separated allow list: "loopback", "private" (RFC
// 1918, unique-local IPv6 and carrier-grade NAT), CIDR prefixes or single
// addresses such as 10.20.0.0/16 or 169.254.169.254, and exact endpoints
// such as 127.0.0.1:11434, [::1]:8000 or gpu-box:11434 (that port on that
// address or name only). Everything public is always allowed.
func Parse(spec string) (*Policy, error) {
	p := &Policy{resolver: net.DefaultResolver}
	for _, item := range strings.Split(spec, ",") {
		switch item = strings.TrimSpace(strings.ToLower(item)); item {
		case "":
		case "loopback":
			p.loopback = true
		case "private":
			p.private = true
		default:
			if err := p.add(item); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// add parses one prefix, address or endpoint entry.
func (p *Policy) add(item string) error {
	if pre, err := netip.ParsePrefix(item); err == nil {
		p.prefixes = append(p.prefixes, pre.Masked())
		return nil
	}
	if addr, err := netip.ParseAddr(item); err == nil {
		p.prefixes = append(p.prefixes, netip.PrefixFrom(addr, addr.BitLen()))
		return nil
	}
	ep, err := parseEndpoint(item)
	if err != nil {
		return fmt.Errorf("outbound: %q is not loopback, private, a CIDR prefix or a host:port: %w", item, err)
	}
	p.endpoints = append(p.endpoints, ep)
	return nil
}

func parseEndpoint(hostport string) (endpoint, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return endpoint{}, err
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || n == 0 {
		return endpoint{}, fmt.Errorf("port %q must be 1 to 65535", port)
	}
	if err := ValidHost(host); err != nil {
		return endpoint{}, err
	}
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	return endpoint{host: strings.ToLower(strings.TrimSuffix(host, ".")), port: uint16(n)}, nil
}

// WithEndpoints returns a copy of p that also allows the exact host:port
// pairs given (as "host:port" or URLs with a port).
func (p *Policy) WithEndpoints(hostports ...string) (*Policy, error) {
	q := *p
	q.endpoints = slices.Clone(p.endpoints)
	for _, hp := range hostports {
		ep, err := parseEndpoint(hp)
		if err != nil {
			return nil, fmt.Errorf("outbound: endpoint %q: %w", hp, err)
		}
		q.endpoints = append(q.endpoints, ep)
	}
	return &q, nil
}

// WithResolver returns a copy of p that resolves names (at save time and
// when dialling) through r.
func (p *Policy) WithResolver(r *net.Resolver) *Policy {
	q := *p
	q.resolver = r
	return &q
}

// allowsName reports whether host:port is an endpoint the operator named.
func (p *Policy) allowsName(host string, port uint16) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	return slices.Contains(p.endpoints, endpoint{host: host, port: port})
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Check refuses addr unless it is public or allowed by a range. Endpoint
// entries need the port: see CheckAddrPort.
func (p *Policy) Check(addr netip.Addr) error {
	addr = addr.Unmap()
	for _, pre := range p.prefixes {
		if pre.Contains(addr) {
			return nil
		}
	}
	var why string
	switch {
	case addr.IsLoopback():
		if p.loopback {
			return nil
		}
		why = "a loopback address"
	case addr.IsPrivate() || cgnat.Contains(addr):
		if p.private {
			return nil
		}
		why = "a private network address"
	case addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast():
		why = "a link-local address (cloud metadata lives there)"
	case addr.IsUnspecified() || addr.IsMulticast() || addr.IsInterfaceLocalMulticast():
		why = "not a unicast address"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s is %s; the operator can allow it with NYX_OUTBOUND_ALLOW", ErrForbidden, addr, why)
}

// CheckAddrPort is Check that also accepts the exact endpoints allowed
// and refuses the reserved ones.
func (p *Policy) CheckAddrPort(ap netip.AddrPort) error {
	if err := p.checkReserved(ap); err != nil {
		return err
	}
	if p.allowsName(ap.Addr().String(), ap.Port()) {
		return nil
	}
	if err := p.Check(ap.Addr()); err != nil {
		return fmt.Errorf("%w (port %d)", err, ap.Port())
	}
	return nil
}

// CheckURL refuses a URL whose host is not canonical, and resolves its host
// and checks every address it has, on the URL's port.
func (p *Policy) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("%w: %q has no host", ErrInvalidHost, raw)
	}
	host := u.Hostname()
	if err := ValidHost(host); err != nil {
		return err
	}
	port, err := urlPort(u)
	if err != nil {
		return err
	}
	if p.allowsName(host, port) {
		return nil
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return p.CheckAddrPort(netip.AddrPortFrom(addr, port))
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := p.resolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		// A name that does not resolve from here now (split DNS, a host
		// not up yet) is not refused; every connection is checked anyway.
		return nil
	}
	for _, a := range addrs {
		if err := p.CheckAddrPort(netip.AddrPortFrom(a, port)); err != nil {
			return fmt.Errorf("%s resolves to %w", host, err)
		}
	}
	return nil
}

// urlPort is the URL's port, or its scheme's default.
func urlPort(u *url.URL) (uint16, error) {
	if s := u.Port(); s != "" {
		n, err := strconv.ParseUint(s, 10, 16)
		if err != nil || n == 0 {
			return 0, fmt.Errorf("%w: port %q", ErrInvalidHost, s)
		}
		return uint16(n), nil
	}
	switch u.Scheme {
	case "http":
		return 80, nil
	case "https":
		return 443, nil
	}
	return 0, fmt.Errorf("%w: %q is not an http(s) URL", ErrForbidden, u.Redacted())
}

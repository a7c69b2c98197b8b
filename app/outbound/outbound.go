// Package outbound decides which addresses the server may connect to on a
// user's behalf. Every URL a tenant can configure (provider base URLs,
// later webhooks) goes through a Policy, which refuses loopback, private,
// link-local (cloud metadata), unspecified and multicast addresses unless
// the operator allowed them. The check runs when a URL is saved (after DNS
// resolution, for a clear error) and again on every connection (on the
// address actually dialled), so DNS rebinding cannot slip past it.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbidden is returned (wrapped) for an address the policy refuses.
var ErrForbidden = errors.New("outbound address not allowed")

// Policy is safe for concurrent use.
type Policy struct {
	loopback bool
	private  bool
	prefixes []netip.Prefix
	resolver *net.Resolver
}

// Parse reads a comma-separated allow list: "loopback", "private" (RFC
// 1918, unique-local IPv6 and carrier-grade NAT) and CIDR prefixes such as
// 10.20.0.0/16 or 169.254.0.0/16. Everything public is always allowed.
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
			pre, err := netip.ParsePrefix(item)
			if err != nil {
				if addr, aerr := netip.ParseAddr(item); aerr == nil {
					pre = netip.PrefixFrom(addr, addr.BitLen())
				} else {
					return nil, fmt.Errorf("outbound: %q is not loopback, private or a CIDR prefix", item)
				}
			}
			p.prefixes = append(p.prefixes, pre.Masked())
		}
	}
	return p, nil
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Check refuses addr unless it is public or allowed.
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

// CheckURL resolves the URL's host and checks every address it has.
func (p *Policy) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("%w: %q has no host", ErrForbidden, raw)
	}
	host := u.Hostname()
	if addr, err := netip.ParseAddr(host); err == nil {
		return p.Check(addr)
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
		if err := p.Check(a); err != nil {
			return fmt.Errorf("%s resolves to %w", host, err)
		}
	}
	return nil
}

// control checks the address a socket is about to connect to.
func (p *Policy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbidden, address)
	}
	return p.Check(ap.Addr())
}

// Transport is an HTTP transport whose every connection is checked. It
// ignores proxy settings: a proxy would dial on the server's behalf.
func (p *Policy) Transport() *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: p.control}
	return &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 5 * time.Minute, // a cold model load can take minutes
	}
}

// Client returns an HTTP client over Transport, with no overall timeout
// (streams run long; callers bound them with contexts).
func (p *Policy) Client() *http.Client { return &http.Client{Transport: p.Transport()} }

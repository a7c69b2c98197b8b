package outbound

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// maxRedirects bounds redirect chains, like net/http's default.
const maxRedirects = 10

// dial connects to address ("host:port" as net/http asks) after refusing a
// non-canonical host, and checks the address each socket is about to
// connect to. An endpoint the operator named (gpu-box:11434) is trusted
// whatever it resolves to: the operator vouched for that name.
func (p *Policy) dial(ctx context.Context, network, address string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(address)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalidHost, address)
	}
	if err := ValidHost(host); err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("%w: port %q", ErrInvalidHost, portText)
	}
	named := p.allowsName(host, uint16(port))
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Resolver: p.resolver,
		Control: func(_, dialled string, _ syscall.RawConn) error {
			if named {
				return p.controlReserved(dialled)
			}
			return p.control(dialled)
		}}
	return d.DialContext(ctx, network, address)
}

// control checks the address (ip:port) a socket is about to connect to:
// this is where a DNS answer that changed since CheckURL is caught.
func (p *Policy) control(address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbidden, address)
	}
	return p.CheckAddrPort(ap)
}

// controlReserved is control for a named endpoint: only the reserved
// endpoints are refused.
func (p *Policy) controlReserved(address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrForbidden, address)
	}
	return p.checkReserved(ap)
}

// checkRedirect re-checks every hop: a public server may answer with a
// redirect to a private one.
func (p *Policy) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errors.New("outbound: too many redirects")
	}
	return p.CheckURL(req.Context(), req.URL.String())
}

// Transport is an HTTP transport whose every connection is checked. It
// ignores proxy settings: a proxy would dial on the server's behalf.
func (p *Policy) Transport() *http.Transport {
	return &http.Transport{
		DialContext:           p.dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 5 * time.Minute, // a cold model load can take minutes
	}
}

// Client returns an HTTP client over Transport that re-checks every
// redirect hop, with no overall timeout (streams run long; callers bound
// them with contexts).
func (p *Policy) Client() *http.Client {
	return &http.Client{Transport: p.Transport(), CheckRedirect: p.checkRedirect}
}

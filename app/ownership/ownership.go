// Package ownership proves that a tenant controls a custom domain before
// the server routes it or asks a CA for its certificate. The proof is a
// token the tenant publishes either as a DNS TXT record or at an HTTP URL
// on the domain itself; the latter also shows the domain already points
// at this server, since the server answers that URL for pending domains.
//
// Tokens are not stored: a token is the tenant id and an HMAC of the
// tenant id and domain under a key derived from the master key, so it is
// the same every time it is shown, cannot be forged for another tenant or
// domain, and changes when the domain (or the master key) does.
package ownership

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nyxcore/nyxcore/app/outbound"
)

// Names of the proofs.
const (
	// RecordPrefix is prepended to the domain to name the TXT record.
	RecordPrefix = "_nyxcore-challenge."
	// ValuePrefix starts the TXT record's value.
	ValuePrefix = "nyxcore-verify="
	// PathPrefix is the URL path under which the HTTP proof is served.
	PathPrefix = "/.well-known/nyxcore-domain/"
	macPurpose = "ownership/domain/v1"
	macBytes   = 16
)

// ErrNotProven is wrapped by Check's error when neither proof was found;
// the message says what was looked up and what was found.
var ErrNotProven = errors.New("domain ownership not proven")

// MACer is what the verifier needs of the master key.
type MACer interface {
	MAC(purpose string, parts ...string) []byte
}

// Verifier issues and checks proofs. Its exported fields may be set after
// New and before first use; it is then safe for concurrent use.
type Verifier struct {
	// Resolver is the DNS server (host:port) asked for TXT records and for
	// the domain's addresses in the HTTP check; empty: the system resolver.
	Resolver string
	// HTTPPort is where the HTTP proof is fetched (80, the only port a
	// public host surely answers plain HTTP on; tests set their own).
	HTTPPort int
	// Timeout bounds each check.
	Timeout time.Duration

	key   MACer
	guard *outbound.Policy
}

// New returns a verifier whose tokens are keyed by key. The HTTP check
// connects only to addresses guard allows, so a tenant cannot make the
// server probe its private network by naming an internal host.
func New(key MACer, guard *outbound.Policy, resolver string) *Verifier {
	return &Verifier{key: key, guard: guard, Resolver: resolver, HTTPPort: 80, Timeout: 10 * time.Second}
}

// Challenge is what a tenant must publish to prove domain.
type Challenge struct {
	Token string
	// DNS TXT record: name and value.
	RecordName, RecordValue string
	// URL that must answer Token.
	URL string
}

// Challenge returns the proofs for tenantID and domain.
func (v *Verifier) Challenge(tenantID, domain string) Challenge {
	tok := v.Token(tenantID, domain)
	return Challenge{Token: tok, RecordName: RecordPrefix + domain, RecordValue: ValuePrefix + tok,
		URL: "http://" + domain + PathPrefix + tok}
}

// Token is tenantID, a dot and the hex HMAC of tenantID and domain.
func (v *Verifier) Token(tenantID, domain string) string {
	return tenantID + "." + hex.EncodeToString(v.key.MAC(macPurpose, tenantID, domain)[:macBytes])
}

// TenantOf returns the tenant id a token claims to be for; only Valid
// tells whether the claim is true.
func TenantOf(token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i <= 0 || i > 128 {
		return "", false
	}
	return token[:i], true
}

// Valid reports whether token is the one for tenantID and domain, in
// constant time.
func (v *Verifier) Valid(token, tenantID, domain string) bool {
	return hmac.Equal([]byte(token), []byte(v.Token(tenantID, domain)))
}

// Methods by which Check found a proof.
const (
	MethodDNS  = "dns"
	MethodHTTP = "http"
)

// Check looks for either proof: the TXT record first, then the HTTP URL.
// It returns the method that found one, or an error wrapping ErrNotProven
// that says what each lookup found, fit to show the tenant's admin.
func (v *Verifier) Check(ctx context.Context, tenantID, domain string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, v.Timeout)
	defer cancel()
	c := v.Challenge(tenantID, domain)
	dnsFound, ok := v.checkDNS(ctx, c)
	if ok {
		return MethodDNS, nil
	}
	httpFound, ok := v.checkHTTP(ctx, c, domain)
	if ok {
		return MethodHTTP, nil
	}
	return "", fmt.Errorf("%w: DNS: looked up TXT %s and %s; HTTP: fetched %s and %s", ErrNotProven, c.RecordName, dnsFound, c.URL, httpFound)
}

// checkDNS returns whether the TXT record holds the token, and else what
// the lookup found, in words.
func (v *Verifier) checkDNS(ctx context.Context, c Challenge) (string, bool) {
	txts, err := v.resolver().LookupTXT(ctx, c.RecordName)
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "found no such record", false
	case err != nil:
		return "the lookup failed (" + why(err) + ")", false
	}
	for _, t := range txts {
		if strings.TrimSpace(t) == c.RecordValue {
			return "", true
		}
	}
	if len(txts) == 0 {
		return "found no TXT value", false
	}
	return fmt.Sprintf("found %q instead of %q", clip(strings.Join(txts, `", "`)), c.RecordValue), false
}

// checkHTTP fetches the proof URL, without following redirects, through
// addresses the outbound guard allows.
func (v *Verifier) checkHTTP(ctx context.Context, c Challenge, domain string) (string, bool) {
	url := "http://" + net.JoinHostPort(domain, strconv.Itoa(v.HTTPPort)) + PathPrefix + c.Token
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "could not build the request", false
	}
	res, err := v.client().Do(req)
	if err != nil {
		return "got no answer (" + why(err) + ")", false
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	got := strings.TrimSpace(string(body))
	if res.StatusCode == http.StatusOK && got == c.Token {
		return "", true
	}
	if res.StatusCode != http.StatusOK {
		return "got " + res.Status + " (does the domain point at this server?)", false
	}
	return fmt.Sprintf("got %q instead of the token", clip(got)), false
}

func (v *Verifier) resolver() *net.Resolver {
	if v.Resolver == "" {
		return net.DefaultResolver
	}
	addr := v.Resolver
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

// client resolves through the verifier's resolver, checks every address
// against the guard before dialling it, and never follows redirects.
func (v *Verifier) client() *http.Client {
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		ips, err := v.resolver().LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		var last error = fmt.Errorf("%s has no address", host)
		for _, ip := range ips {
			if err := v.guard.Check(ip); err != nil {
				last = err
				continue
			}
			var d net.Dialer
			conn, err := d.DialContext(ctx, network, net.JoinHostPort(ip.Unmap().String(), port))
			if err == nil {
				return conn, nil
			}
			last = err
		}
		return nil, last
	}
	return &http.Client{
		Transport:     &http.Transport{DialContext: dial, Proxy: nil, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// why words a failed lookup or fetch for a tenant admin without the
// server's own network details (its resolver's address, local ports), which
// Go's error texts carry.
func why(err error) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, outbound.ErrForbidden):
		return "the domain resolves to an address this server may not connect to; the operator can allow it with NYX_OUTBOUND_ALLOW"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "the name does not resolve"
	case errors.As(err, &dnsErr) && dnsErr.IsTimeout:
		return "the DNS lookup timed out"
	case errors.As(err, &dnsErr):
		return "the DNS lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "it timed out"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "the address is unreachable"
	}
	return "the connection failed"
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

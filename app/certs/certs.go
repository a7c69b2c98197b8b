// Package certs gives the server its TLS. In acme mode certmagic obtains
// certificates on demand, during the first handshake for a name, for the
// server's own domain, slug subdomains of existing tenants and verified
// custom domains; every other name is refused before the CA hears of it.
// In self-signed mode a local CA in the data dir signs a certificate for
// whatever name (or address) a client asks for, for home labs without a
// public name. Either way the HTTP listener answers ACME HTTP-01
// challenges, health checks, domain proofs and the local root, and
// redirects everything else to HTTPS.
package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// Modes New accepts; they match the tls setting.
const (
	ModeACME       = "acme"
	ModeSelfSigned = "self-signed"
)

// Options configures a Manager.
type Options struct {
	// Mode is ModeACME or ModeSelfSigned.
	Mode string
	// Domain is the server's own host name (required for ModeACME).
	Domain string
	// BaseDomain is the domain whose one-label subdomains are tenant
	// slugs; empty disables subdomain certificates.
	BaseDomain string
	// DataDir holds certmagic's storage and the local CA.
	DataDir string
	// Email is given to the ACME CA; CA is its directory URL.
	Email, CA string
	// CARoots, if set, replaces the system roots when talking to the CA.
	CARoots *x509.CertPool
	// HTTPAddr and HTTPSAddr are the listen addresses; their ports tell
	// certmagic that challenges arrive on listeners the server already
	// has. An empty HTTPAddr disables the HTTP-01 challenge.
	HTTPAddr, HTTPSAddr string
	// Lookup decides which subdomains and custom domains get certificates.
	Lookup tenant.Lookup
	// Logger receives issuance results and CA problems; nil: slog.Default().
	Logger *slog.Logger
}

// Manager serves certificates for one server. It is safe for concurrent use.
type Manager struct {
	mode      string
	domain    string
	httpsPort string
	acme      *acmeCerts // ModeACME
	local     *LocalCA   // ModeSelfSigned
	log       *slog.Logger
}

// New sets defaults, validates o and prepares the certificates; nothing is
// requested from a CA until Start or a handshake.
func New(o Options) (*Manager, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Domain, o.BaseDomain = strings.ToLower(o.Domain), strings.ToLower(o.BaseDomain)
	_, httpsPort, err := net.SplitHostPort(o.HTTPSAddr)
	if err != nil {
		return nil, fmt.Errorf("certs: https address %q: %w", o.HTTPSAddr, err)
	}
	m := &Manager{mode: o.Mode, domain: o.Domain, httpsPort: httpsPort, log: o.Logger}
	switch o.Mode {
	case ModeACME:
		if o.Domain == "" || o.Lookup == nil {
			return nil, errors.New("certs: acme mode needs a domain and a tenant lookup")
		}
		m.acme, err = newACME(o)
	case ModeSelfSigned:
		m.local, err = LoadOrCreateCA(o.DataDir)
	default:
		err = fmt.Errorf("certs: unknown mode %q", o.Mode)
	}
	if err != nil {
		return nil, err
	}
	return m, nil
}

// TLSConfig is the HTTPS server's configuration: HTTP/2 and HTTP/1.1 (and
// acme-tls/1 for TLS-ALPN-01 challenges), TLS 1.2 at least with only the
// AEAD suites of CipherSuites.
func (m *Manager) TLSConfig() *tls.Config {
	var tc *tls.Config
	if m.acme != nil {
		tc = m.acme.magic.TLSConfig()
	} else {
		tc = &tls.Config{GetCertificate: m.local.GetCertificate}
	}
	tc.MinVersion = tls.VersionTLS12
	tc.CipherSuites = CipherSuites()
	tc.NextProtos = append([]string{"h2", "http/1.1"}, tc.NextProtos...)
	return tc
}

// Start begins background work: in acme mode it checks that the CA
// answers (logging clearly when it does not) and obtains the main
// domain's certificate so the first visitor does not wait for it. It
// never fails: a CA that is down only costs the names still missing a
// certificate their handshakes.
func (m *Manager) Start(ctx context.Context) {
	if m.acme != nil {
		m.acme.start(ctx)
	}
}

// Stop ends background work.
func (m *Manager) Stop() {
	if m.acme != nil {
		m.acme.cache.Stop()
	}
}

// RootPEM returns the local CA's root certificate in self-signed mode, for
// users to install; nil in acme mode.
func (m *Manager) RootPEM() []byte {
	if m.local == nil {
		return nil
	}
	return m.local.RootPEM()
}

// Forget drops what the manager remembers about name (a refusal, a failed
// issuance), so a custom domain verified a moment ago gets its
// certificate on the next handshake.
func (m *Manager) Forget(name string) {
	if m.acme != nil {
		m.acme.policy.forget(strings.ToLower(name))
	}
}

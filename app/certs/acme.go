package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/pocketbase/pocketbase/core"
)

// acmeCerts is certmagic set up for on-demand issuance.
type acmeCerts struct {
	magic  *certmagic.Config
	cache  *certmagic.Cache
	issuer *certmagic.ACMEIssuer
	policy *policy
	domain string
	ca     string
	client *http.Client // for the CA reachability check
	log    *slog.Logger
}

func newACME(o Options) (*acmeCerts, error) {
	a := &acmeCerts{domain: o.Domain, ca: o.CA, log: o.Logger}
	a.policy = newPolicy(o.Domain, o.BaseDomain, o.Lookup)
	zl := zapToSlog(o.Logger)
	a.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert: func(certmagic.Certificate) (*certmagic.Config, error) { return a.magic, nil },
		Logger:           zl,
	})
	// Certificates can be obtained again, so they live beside PocketBase's
	// own autocert cache, which its backups skip.
	storage := &certmagic.FileStorage{Path: filepath.Join(o.DataDir, core.LocalAutocertCacheDirName, "certmagic")}
	a.magic = certmagic.New(a.cache, certmagic.Config{
		Storage:  storage,
		OnDemand: &certmagic.OnDemandConfig{DecisionFunc: a.policy.decide},
		OnEvent:  a.onEvent,
		Logger:   zl,
	})
	tmpl := certmagic.ACMEIssuer{CA: o.CA, Email: o.Email, Agreed: true, TrustedRoots: o.CARoots, Logger: zl}
	if err := listenPorts(&tmpl, o.HTTPAddr, o.HTTPSAddr); err != nil {
		return nil, err
	}
	a.issuer = certmagic.NewACMEIssuer(a.magic, tmpl)
	a.magic.Issuers = []certmagic.Issuer{onceIssuer{a.issuer}}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: o.CARoots}
	a.client = &http.Client{Transport: tr, Timeout: 10 * time.Second}
	return a, nil
}

// listenPorts tells certmagic where the challenges arrive: on the server's
// own listeners, so its solvers find the ports taken and leave the
// answering to the HTTP handler and the TLS config.
func listenPorts(t *certmagic.ACMEIssuer, httpAddr, httpsAddr string) error {
	host, port, err := net.SplitHostPort(httpsAddr)
	if err != nil {
		return fmt.Errorf("certs: https address: %w", err)
	}
	t.ListenHost = host
	if t.AltTLSALPNPort, err = strconv.Atoi(port); err != nil {
		return fmt.Errorf("certs: https port %q: %w", port, err)
	}
	if httpAddr == "" {
		t.DisableHTTPChallenge = true
		return nil
	}
	if _, port, err = net.SplitHostPort(httpAddr); err != nil {
		return fmt.Errorf("certs: http address: %w", err)
	}
	if t.AltHTTPPort, err = strconv.Atoi(port); err != nil {
		return fmt.Errorf("certs: http port %q: %w", port, err)
	}
	return nil
}

func (a *acmeCerts) start(ctx context.Context) {
	go func() {
		if err := a.checkCA(ctx); err != nil {
			a.log.Error("nyx: TLS: the ACME CA does not answer; the server keeps serving, but names without a certificate fail their TLS handshake until it does",
				"ca", a.ca, "error", err.Error())
		}
	}()
	if err := a.magic.ManageAsync(ctx, []string{a.domain}); err != nil {
		a.log.Error("nyx: TLS: managing the main domain's certificate", "domain", a.domain, "error", err.Error())
	}
}

// checkCA fetches the ACME directory once.
func (a *acmeCerts) checkCA(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.ca, nil)
	if err != nil {
		return err
	}
	res, err := a.client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("directory answered %s", res.Status)
	}
	return nil
}

// onEvent logs issuance results in the server's log and makes a failed
// name wait before the next attempt.
func (a *acmeCerts) onEvent(_ context.Context, event string, data map[string]any) error {
	name, _ := data["identifier"].(string)
	switch event {
	case "cert_obtained":
		a.log.Info("nyx: TLS: certificate obtained", "name", name, "renewal", data["renewal"])
	case "cert_failed":
		a.policy.failed(name)
		err, _ := data["error"].(error)
		msg := "unknown error"
		if err != nil {
			msg = err.Error()
		}
		a.log.Error(fmt.Sprintf("nyx: TLS: no certificate for %s from the ACME CA; HTTPS for that name fails until it is obtained (next attempt on a connection after %s)", name, failureWait),
			"ca", a.ca, "error", msg)
	}
	return nil
}

// onceIssuer makes every failed issuance final for the attempt at hand.
// certmagic would otherwise keep a handshake waiting through retries a
// minute apart while the CA is down; failing at once gives the client a
// clean error, and the next handshake (after the policy's wait) tries
// again. Renewals are retried by certmagic's maintenance all the same.
type onceIssuer struct{ *certmagic.ACMEIssuer }

func (i onceIssuer) Issue(ctx context.Context, csr *x509.CertificateRequest) (*certmagic.IssuedCertificate, error) {
	c, err := i.ACMEIssuer.Issue(ctx, csr)
	if err != nil && !errors.Is(err, context.Canceled) {
		return nil, certmagic.ErrNoRetry{Err: err}
	}
	return c, err
}

var _ certmagic.Issuer = onceIssuer{}

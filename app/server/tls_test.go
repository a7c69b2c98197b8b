package server_test

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/certs"
	"github.com/nyxcore/nyxcore/app/certs/certstest"
	"github.com/nyxcore/nyxcore/app/server"
)

// TestACMECertificatesOnDemand serves the API over TLS with certificates
// from a real (in-process) ACME CA, obtained during the first handshake
// for each name: the main domain, a tenant's subdomain, a custom domain
// once verified; unknown subdomains and unverified domains are refused.
func TestACMECertificatesOnDemand(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			httpsL, httpL := listen(t), listen(t)
			ca := certstest.Start(t, httpL.Addr().(*net.TCPAddr).Port, httpsL.Addr().(*net.TCPAddr).Port)
			m, err := certs.New(certs.Options{Mode: certs.ModeACME, Domain: "nyx.test", BaseDomain: e.cfg.BaseDomain,
				DataDir: t.TempDir(), CA: ca.Directory, CARoots: ca.ServerRoots, HTTPAddr: httpL.Addr().String(),
				HTTPSAddr: httpsL.Addr().String(), Lookup: server.TenantLookup(e.store), Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(m.Stop)
			serveTLS(t, httpsL, httpL, m, e.handler)
			e.notify.set(m.Forget)
			e.own.Resolver = ca.DNS
			e.own.HTTPPort = httpL.Addr().(*net.TCPAddr).Port

			for _, name := range []string{"nyx.test", "acme.nyx.test"} {
				if err := handshake(httpsL.Addr().String(), name, ca.IssuedRoots); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			for _, name := range []string{"nope.nyx.test", "deep.acme.nyx.test", "random.example.org"} {
				if err := handshake(httpsL.Addr().String(), name, ca.IssuedRoots); err == nil {
					t.Fatalf("%s got a certificate", name)
				}
			}
			// A custom domain: refused while pending, served once verified
			// (over the HTTP proof, which reaches this server's HTTP listener).
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"custom_domain": "chat.acme.test"}), 200)
			if err := handshake(httpsL.Addr().String(), "chat.acme.test", ca.IssuedRoots); err == nil {
				t.Fatal("unverified custom domain got a certificate")
			}
			if r := e.call("alice", "POST", "/api/nyx/tenants/acme/domain/verify", nil); r.status != 200 || r.json["verified"] != true {
				t.Fatalf("verify: %d %s", r.status, r.raw)
			}
			if err := handshake(httpsL.Addr().String(), "chat.acme.test", ca.IssuedRoots); err != nil {
				t.Fatalf("verified custom domain: %v", err)
			}
			// Plain HTTP redirects to HTTPS but still answers health.
			res := get(t, "http://"+httpL.Addr().String()+"/t/acme", "nyx.test")
			if res.StatusCode != http.StatusPermanentRedirect || !strings.HasPrefix(res.Header.Get("Location"), "https://nyx.test:") {
				t.Fatalf("plain HTTP: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			if res := get(t, "http://"+httpL.Addr().String()+"/api/nyx/health", "nyx.test"); res.StatusCode != 200 {
				t.Fatalf("health over HTTP: %d", res.StatusCode)
			}
		})
	}
}

// TestACMECADown: with the CA unreachable the server keeps answering over
// HTTP and a handshake for a name without a certificate fails at once.
func TestACMECADown(t *testing.T) {
	e := newEnv(t, backends[0].open)
	httpsL, httpL := listen(t), listen(t)
	dead := listen(t)
	dead.Close()
	var logs strings.Builder
	m, err := certs.New(certs.Options{Mode: certs.ModeACME, Domain: "nyx.test", BaseDomain: e.cfg.BaseDomain, DataDir: t.TempDir(),
		CA: "https://" + dead.Addr().String() + "/dir", HTTPAddr: httpL.Addr().String(), HTTPSAddr: httpsL.Addr().String(),
		Lookup: server.TenantLookup(e.store), Logger: slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Stop)
	serveTLS(t, httpsL, httpL, m, e.handler)
	start := time.Now()
	if err := handshake(httpsL.Addr().String(), "acme.nyx.test", x509.NewCertPool()); err == nil {
		t.Fatal("handshake succeeded without a CA")
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("failing handshake took %s", d)
	}
	if res := get(t, "http://"+httpL.Addr().String()+"/api/nyx/health", "nyx.test"); res.StatusCode != 200 {
		t.Fatalf("health over HTTP with the CA down: %d", res.StatusCode)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "no certificate for acme.nyx.test") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "no certificate for acme.nyx.test") {
		t.Fatalf("no clear log line:\n%s", logs.String())
	}
}

func listen(t *testing.T) net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// serveTLS serves h over TLS on httpsL and the manager's HTTP handler on httpL.
func serveTLS(t *testing.T, httpsL, httpL net.Listener, m *certs.Manager, h http.Handler) {
	s := &http.Server{Handler: h, TLSConfig: m.TLSConfig(), ErrorLog: log.New(io.Discard, "", 0)} // refusals are expected
	go s.ServeTLS(httpsL, "", "")
	p := &http.Server{Handler: m.HTTPHandler(h)}
	go p.Serve(httpL)
	t.Cleanup(func() { s.Close(); p.Close() })
}

// handshake connects to addr as name, verifies the certificate against
// roots, and asks for health over the connection.
func handshake(addr, name string, roots *x509.CertPool) error {
	c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: name, RootCAs: roots},
		DialContext: func(ctx ctxT, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}}}
	res, err := c.Get("https://" + name + "/api/nyx/health")
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 {
		return &statusError{res.StatusCode}
	}
	return nil
}

func get(t *testing.T, url, host string) *http.Response {
	req, _ := http.NewRequest("GET", url, nil)
	req.Host = host
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/certs/certstest"
)

// TestHomeLabSelfSigned runs `serve --tls=self-signed`: the root is
// downloadable over plain HTTP and HTTPS verifies against it, for a LAN
// name and for the bare address.
func TestHomeLabSelfSigned(t *testing.T) {
	httpsAddr := freeAddr(t)
	s := serve(t, cleanEnv("NYX_TLS=self-signed", "NYX_HTTPS="+httpsAddr), t.TempDir())
	res, err := http.Get(s.base + "/api/nyx/tls/root.crt")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/x-x509-ca-cert" {
		t.Fatalf("root.crt: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if b, _ := pem.Decode(root); b == nil || b.Type != "CERTIFICATE" {
		t.Fatalf("root.crt is not a PEM certificate: %q", root)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(root)
	for _, name := range []string{"nyx.lan", "127.0.0.1"} {
		if err := httpsGet(httpsAddr, name, roots); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if err := httpsGet(httpsAddr, "nyx.lan", x509.NewCertPool()); err == nil {
		t.Fatal("a client without the root trusted the server")
	}
}

// TestPublicHostACME runs `serve --domain` against an in-process ACME CA:
// the main domain gets a certificate over the server's own listeners.
func TestPublicHostACME(t *testing.T) {
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	ca := certstest.Start(t, portOf(t, httpAddr), portOf(t, httpsAddr))
	roots := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(roots, ca.ServerRootPEM, 0o600)
	s := serveTLS(t, cleanEnv("NYX_DOMAIN=nyx.test", "NYX_HTTPS="+httpsAddr, "NYX_ACME_CA="+ca.Directory, "NYX_ACME_CA_ROOTS="+roots), httpAddr)
	if err := httpsGet(httpsAddr, "nyx.test", ca.IssuedRoots); err != nil {
		t.Fatalf("main domain: %v\n%s", err, s.out)
	}
	if err := httpsGet(httpsAddr, "nobody.nyx.test", ca.IssuedRoots); err == nil {
		t.Fatal("an unknown subdomain got a certificate")
	}
}

// TestPublicHostCADown: with the ACME CA unreachable the server starts,
// answers health over HTTP, fails handshakes cleanly and says why.
func TestPublicHostCADown(t *testing.T) {
	httpAddr, httpsAddr, dead := freeAddr(t), freeAddr(t), freeAddr(t)
	s := serveTLS(t, cleanEnv("NYX_DOMAIN=nyx.test", "NYX_HTTPS="+httpsAddr, "NYX_ACME_CA=https://"+dead+"/dir"), httpAddr)
	start := time.Now()
	if err := httpsGet(httpsAddr, "nyx.test", x509.NewCertPool()); err == nil {
		t.Fatal("handshake succeeded with no CA")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("failing handshake took %s", time.Since(start))
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(s.out.String(), "ACME CA does not answer") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(s.out.String(), "ACME CA does not answer") {
		t.Fatalf("no clear log line:\n%s", s.out)
	}
	if res, err := http.Get(s.base + "/api/nyx/health"); err != nil || res.StatusCode != 200 {
		t.Fatalf("health over HTTP: %v %v", res, err)
	}
}

// serveTLS starts the server with TLS settings in env and its plain-HTTP
// listener on httpAddr, and waits for health there.
func serveTLS(t *testing.T, env []string, httpAddr string) *server {
	t.Helper()
	s := &server{base: "http://" + httpAddr, out: &bytes.Buffer{}}
	s.cmd = exec.Command(binary, "serve", "--http", httpAddr, "--dir", t.TempDir())
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && s.cmd.ProcessState == nil {
		if r, err := http.Get(s.base + "/api/nyx/health"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy over HTTP:\n%s", s.out)
	return nil
}

type ctxT = context.Context

type statusErr struct{ status int }

func (e *statusErr) Error() string { return "status " + strconv.Itoa(e.status) }

func httpsGet(addr, name string, roots *x509.CertPool) error {
	c := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{ServerName: name, RootCAs: roots},
		DialContext: func(ctx ctxT, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}}}
	host := name
	if strings.Count(name, ".") == 3 && net.ParseIP(name) != nil {
		host = addr
	}
	res, err := c.Get("https://" + host + "/api/nyx/health")
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		return &statusErr{res.StatusCode}
	}
	return nil
}

func portOf(t *testing.T, addr string) int {
	_, p, _ := net.SplitHostPort(addr)
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Package certstest runs a real ACME CA for tests: Let's Encrypt's pebble
// (CA, validation authority and web front end) in-process, with
// challtestsrv as the DNS server both pebble and the code under test can
// ask. Every name resolves to 127.0.0.1, so pebble validates challenges
// against the server under test on the ports it is given.
package certstest

import (
	"crypto/x509"
	"encoding/pem"
	"io"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/letsencrypt/challtestsrv"
	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
)

// Pebble is a running ACME CA.
type Pebble struct {
	// Directory is the ACME directory URL.
	Directory string
	// ServerRoots trusts the CA's own HTTPS endpoint (give it to the
	// ACME client); IssuedRoots verifies the certificates it issues.
	ServerRoots, IssuedRoots *x509.CertPool
	// ServerRootPEM is ServerRoots' certificate as PEM, for a roots file.
	ServerRootPEM []byte
	// DNS is the address (host:port, UDP and TCP) of the DNS server.
	DNS string
	// Records edits the DNS server's records (TXT, A, ...).
	Records *challtestsrv.ChallSrv
}

// Start runs a CA whose validation authority connects to 127.0.0.1 on
// httpPort for HTTP-01 and tlsPort for TLS-ALPN-01. It stops with the test.
func Start(t testing.TB, httpPort, tlsPort int) *Pebble {
	t.Helper()
	// Validate at once instead of after pebble's random sleep, and never
	// reject nonces at random: the tests measure our code, not retries.
	os.Setenv("PEBBLE_VA_NOSLEEP", "1")
	os.Setenv("PEBBLE_WFE_NONCEREJECT", "0")
	quiet := log.New(io.Discard, "", 0)
	dns := StartDNS(t)
	store := db.NewMemoryStore()
	theCA := ca.New(quiet, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {}})
	theVA := va.New(quiet, httpPort, tlsPort, false, dns.addr, store)
	w := wfe.New(quiet, store, theVA, theCA, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	srv := httptest.NewTLSServer(w.Handler())
	t.Cleanup(srv.Close)
	p := &Pebble{Directory: srv.URL + wfe.DirectoryPath, ServerRoots: x509.NewCertPool(), IssuedRoots: x509.NewCertPool(), DNS: dns.addr, Records: dns.srv}
	p.ServerRoots.AddCert(srv.Certificate())
	p.ServerRootPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	p.IssuedRoots.AddCert(theCA.GetRootCert(0).Cert)
	return p
}

// DNSServer is challtestsrv's DNS server alone: every name has A
// 127.0.0.1 and no AAAA; TXT and other records are added through Records.
type DNSServer struct {
	addr string
	srv  *challtestsrv.ChallSrv
}

// Addr is the server's host:port.
func (d *DNSServer) Addr() string { return d.addr }

// Records edits the server's records.
func (d *DNSServer) Records() *challtestsrv.ChallSrv { return d.srv }

// StartDNS runs a DNS server on a free loopback port until the test ends.
func StartDNS(t testing.TB) *DNSServer {
	t.Helper()
	addr := freeUDP(t)
	srv, err := challtestsrv.New(challtestsrv.Config{DNSAddrs: []string{addr}, Log: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetDefaultDNSIPv6("")
	srv.Run()
	t.Cleanup(srv.Shutdown)
	waitTCP(t, addr)
	return &DNSServer{addr: addr, srv: srv}
}

// freeUDP returns a loopback address whose UDP and TCP ports were free.
func freeUDP(t testing.TB) string {
	for range 20 {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		pc.Close()
		if l, err := net.Listen("tcp", addr); err == nil {
			l.Close()
			return addr
		}
	}
	t.Fatal("certstest: no free port for DNS")
	return ""
}

// waitTCP waits until the DNS server accepts TCP, so it is up before use.
func waitTCP(t testing.TB, addr string) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("certstest: DNS server on %s did not start", addr)
}

package certs

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
)

func TestLocalCAIssuesForAnyNameAndKeepsItsRoot(t *testing.T) {
	dir := t.TempDir()
	m, err := New(Options{Mode: ModeSelfSigned, DataDir: dir, HTTPSAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, LocalCADir, rootKeyPEM)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("root key: %v %v", fi, err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(m.RootPEM()) {
		t.Fatal("RootPEM is not a PEM certificate")
	}
	l, err := tls.Listen("tcp", "127.0.0.1:0", m.TLSConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	for _, name := range []string{"nyx.lan", "nyx.home.arpa", "127.0.0.1", ""} {
		c, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{ServerName: name, RootCAs: roots, InsecureSkipVerify: name == ""})
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		leaf := c.ConnectionState().PeerCertificates[0]
		c.Close()
		if name == "" { // no SNI: the certificate names the address connected to
			if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, DNSName: "127.0.0.1"}); err != nil {
				t.Fatalf("no-SNI certificate: %v", err)
			}
		}
	}
	again, err := New(Options{Mode: ModeSelfSigned, DataDir: dir, HTTPSAddr: "127.0.0.1:0"})
	if err != nil || string(again.RootPEM()) != string(m.RootPEM()) {
		t.Fatalf("restart made a new root (%v): installed roots would stop working", err)
	}
}

func TestLocalCARefusesMalformedNames(t *testing.T) {
	ca, err := LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ca.GetCertificate(&tls.ClientHelloInfo{ServerName: "bad name/../x"}); err == nil {
		t.Fatal("signed a malformed name")
	}
}

package certs

import (
	"crypto/tls"
	"slices"
	"testing"
)

// cbcSuites are the TLS 1.2 CBC suites Go can still speak; testssl flags
// servers accepting them as potentially vulnerable to LUCKY13.
var cbcSuites = []uint16{
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
}

// TestHandshakeRefusesCBC serves the self-signed mode's TLS config and
// connects as clients of several kinds: one limited to TLS 1.2 and CBC
// suites must fail the handshake, modern clients must succeed.
func TestHandshakeRefusesCBC(t *testing.T) {
	m, err := New(Options{Mode: ModeSelfSigned, DataDir: t.TempDir(), HTTPSAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
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
	cases := []struct {
		name   string
		client *tls.Config
		ok     bool
	}{
		{"tls1.2 cbc only", &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: cbcSuites}, false},
		{"tls1.1", &tls.Config{MaxVersion: tls.VersionTLS11}, false},
		{"tls1.2 aes-gcm", &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}}, true},
		{"tls1.2 chacha20", &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}}, true},
		{"default client", &tls.Config{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.client.ServerName, c.client.InsecureSkipVerify = "nyx.lan", true
			conn, err := tls.Dial("tcp", l.Addr().String(), c.client)
			if err == nil {
				defer conn.Close()
			}
			if c.ok && err != nil {
				t.Fatalf("handshake failed: %v", err)
			}
			if !c.ok && err == nil {
				t.Fatalf("handshake succeeded with %s", tls.CipherSuiteName(conn.ConnectionState().CipherSuite))
			}
		})
	}
}

// TestACMEConfigOffersOnlyAEAD: the acme mode's config (certmagic's, with
// our settings on top) offers the same suites; a handshake there needs a
// CA, which TestHandshakeRefusesCBC does not, so this checks the config.
func TestACMEConfigOffersOnlyAEAD(t *testing.T) {
	m, err := New(Options{Mode: ModeACME, Domain: "nyx.example.com", DataDir: t.TempDir(), HTTPSAddr: "127.0.0.1:0",
		Lookup: &countingLookup{}, CA: "https://127.0.0.1:1/dir"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Stop()
	tc := m.TLSConfig()
	if tc.MinVersion != tls.VersionTLS12 || len(tc.CipherSuites) == 0 {
		t.Fatalf("min version %x, suites %v", tc.MinVersion, tc.CipherSuites)
	}
	for _, s := range tc.CipherSuites {
		if slices.Contains(cbcSuites, s) || !slices.Contains(CipherSuites(), s) {
			t.Fatalf("offers %s", tls.CipherSuiteName(s))
		}
	}
}

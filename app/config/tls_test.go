package config

import (
	"strings"
	"testing"
)

func TestTLSModesDefaultListeners(t *testing.T) {
	cases := []struct {
		name                   string
		args                   []string
		tls, http, https, base string
	}{
		{"nothing: plain HTTP on loopback", nil, TLSOff, "127.0.0.1:8090", "", ""},
		{"a domain: ACME on 80 and 443, tenants under it", []string{"--domain", "Nyx.Example.COM."}, TLSACME, ":80", ":443", "nyx.example.com"},
		{"own base domain wins", []string{"--domain", "nyx.example.com", "--base-domain", "teams.example.com"}, TLSACME, ":80", ":443", "teams.example.com"},
		{"self-signed: HTTPS only", []string{"--tls", "self-signed"}, TLSSelfSigned, "", ":8443", ""},
		{"self-signed with an HTTP redirect", []string{"--tls", "self-signed", "--http", "0.0.0.0:8080", "--https", "0.0.0.0:8444"}, TLSSelfSigned, "0.0.0.0:8080", "0.0.0.0:8444", ""},
		{"domain behind a proxy", []string{"--domain", "nyx.example.com", "--tls", "off"}, TLSOff, "127.0.0.1:8090", "", "nyx.example.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _, err := Load(c.args)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.TLS != c.tls || cfg.HTTP != c.http || cfg.HTTPS != c.https || cfg.BaseDomain != c.base {
				t.Fatalf("tls=%q http=%q https=%q base=%q, want %q %q %q %q", cfg.TLS, cfg.HTTP, cfg.HTTPS, cfg.BaseDomain, c.tls, c.http, c.https, c.base)
			}
		})
	}
}

func TestTLSSettingsRefused(t *testing.T) {
	cases := []struct {
		name, want string
		args       []string
	}{
		{"acme without a domain", "needs domain", []string{"--tls", "acme"}},
		{"unknown mode", "must be auto, acme", []string{"--tls", "letsencrypt"}},
		{"domain as a URL", "not a host name", []string{"--domain", "https://nyx.example.com/"}},
		{"https without a port", "https (NYX_HTTPS)", []string{"--tls", "self-signed", "--https", "0.0.0.0"}},
		{"resolver without a port", "dns.resolver", []string{"--dns-resolver", "1.1.1.1"}},
		{"CA not a URL", "acme.ca", []string{"--domain", "nyx.example.com", "--acme-ca", "letsencrypt"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load(c.args)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want mention of %q", err, c.want)
			}
		})
	}
}

func TestProxyHeaders(t *testing.T) {
	cfg, _, err := Load([]string{"--proxy-trusted-headers", " X-Forwarded-For, ,X-Real-IP "})
	if err != nil {
		t.Fatal(err)
	}
	if h := cfg.Proxy.Headers(); len(h) != 2 || h[0] != "X-Forwarded-For" || h[1] != "X-Real-IP" {
		t.Fatalf("headers = %q", h)
	}
}

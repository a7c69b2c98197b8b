package tenant

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeHost(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{"plain", "acme.test", "acme.test", true},
		{"port", "acme.nyx.test:8443", "acme.nyx.test", true},
		{"empty port", "acme.test:", "acme.test", true},
		{"upper case", "ACME.Nyx.TEST", "acme.nyx.test", true},
		{"trailing dot", "acme.test.", "acme.test", true},
		{"trailing dot and port", "acme.test.:8443", "acme.test", true},
		{"localhost with port", "localhost:8090", "localhost", true},
		{"single label", "intranet", "intranet", true},
		{"63-char label", label63 + ".test", label63 + ".test", true},
		{"unicode", "bücher.example", "xn--bcher-kva.example", true},
		{"unicode upper case with port", "BÜCHER.example:443", "xn--bcher-kva.example", true},
		{"punycode upper case", "XN--BCHER-KVA.example", "xn--bcher-kva.example", true},
		{"fullwidth dot", "acme。test", "acme.test", true},
		{"ipv4", "127.0.0.1", "127.0.0.1", true},
		{"ipv4 with port", "192.168.1.10:8090", "192.168.1.10", true},
		{"ipv6 bracketed with port", "[::1]:8090", "::1", true},
		{"ipv6 bracketed", "[::1]", "::1", true},
		{"ipv6 upper case", "[2001:DB8::1]:443", "2001:db8::1", true},
		{"ipv6 bare", "::1", "::1", true},
		{"empty", "", "", false},
		{"only port", ":8090", "", false},
		{"two trailing dots", "acme.test..", "", false},
		{"leading dot", ".acme.test", "", false},
		{"empty label", "acme..test", "", false},
		{"non-numeric port", "acme.test:http", "", false},
		{"six-digit port", "acme.test:123456", "", false},
		{"unclosed bracket", "[::1", "", false},
		{"junk after bracket", "[::1]x", "", false},
		{"bad bracketed port", "[::1]:ab", "", false},
		{"bracketed ipv4", "[127.0.0.1]", "", false},
		{"bracketed name", "[acme.test]", "", false},
		{"ipv6 zone", "[fe80::1%25eth0]:80", "", false},
		{"underscore", "a_b.test", "", false},
		{"leading hyphen label", "-acme.test", "", false},
		{"trailing hyphen label", "acme-.test", "", false},
		{"reserved hyphens", "ab--cd.test", "", false},
		{"bad punycode", "xn--zz.test", "", false},
		{"space", "acme test", "", false},
		{"userinfo", "user@acme.test", "", false},
		{"64-char label", strings.Repeat("a", 64) + ".test", "", false},
		{"name over 253", strings.Repeat(label63+".", 4) + "test", "", false},
		{"huge input", strings.Repeat("a.", 600) + "test", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := NormalizeHost(tc.in)
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("NormalizeHost(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestIsIP(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1", true},
		{"::1", true},
		{"2001:db8::1", true},
		{"localhost", false},
		{"acme.test", false},
		{"1.2.3", false},
		{"[::1]", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			if got := IsIP(tc.host); got != tc.want {
				t.Fatalf("IsIP(%q) = %v, want %v", tc.host, got, tc.want)
			}
		})
	}
}

func TestNormalizeDomain(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain", "example.com", "example.com"},
		{"spaces, case and trailing dot", "  Chat.Example.COM. ", "chat.example.com"},
		{"test tld", "chat.acme.test", "chat.acme.test"},
		{"internal tld", "ai.corp.internal", "ai.corp.internal"},
		{"unicode", "bücher.example", "xn--bcher-kva.example"},
		{"punycode", "xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"hyphen inside", "my-team.example.com", "my-team.example.com"},
		{"digits label", "123.example.com", "123.example.com"},
		{"63-char label", label63 + ".example", label63 + ".example"},
		{"253 chars", strings.Repeat(label63+".", 3) + strings.Repeat("b", 61), strings.Repeat(label63+".", 3) + strings.Repeat("b", 61)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeDomain(tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("NormalizeDomain(%q) = %q, %v; want %q, nil", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestNormalizeDomainRefuses(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	tests := []struct {
		name    string
		in      string
		wantMsg string // substring of the error message
	}{
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"only a dot", ".", "empty"},
		{"ipv4", "192.168.1.1", "IP address"},
		{"ipv6", "::1", "IP address"},
		{"bracketed ipv6", "[2001:db8::1]", "IP address"},
		{"ipv4 with trailing dot", "10.0.0.1.", "number"},
		{"short ipv4 form", "10.1", "number"},
		{"scheme", "https://example.com", "scheme"},
		{"path", "example.com/chat", "path"},
		{"query", "example.com?x=1", "path"},
		{"port", "example.com:8443", "port"},
		{"wildcard", "*.example.com", "wildcard"},
		{"single label", "intranet", "two labels"},
		{"localhost", "localhost", "special-use"},
		{"localhost subdomain", "acme.localhost", "special-use"},
		{"mdns", "printer.local", "special-use"},
		{"invalid tld", "acme.invalid", "special-use"},
		{"leading hyphen", "-acme.example.com", "hyphen"},
		{"trailing hyphen", "acme-.example.com", "hyphen"},
		{"reserved hyphens", "ab--cd.example.com", "not a valid host name"},
		{"underscore", "a_b.example.com", "not a valid host name"},
		{"space inside", "exa mple.com", "not a valid host name"},
		{"userinfo", "me@example.com", "not a valid host name"},
		{"empty label", "example..com", "empty label"},
		{"leading dot", ".example.com", "empty label"},
		{"64-char label", strings.Repeat("a", 64) + ".example", "longer than 63"},
		{"254 chars", strings.Repeat(label63+".", 3) + strings.Repeat("b", 62), "longer than 253"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NormalizeDomain(tc.in)
			if !errors.Is(err, ErrInvalidDomain) {
				t.Fatalf("NormalizeDomain(%q) = %q, %v; want ErrInvalidDomain", tc.in, got, err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("NormalizeDomain(%q) message %q does not mention %q", tc.in, err, tc.wantMsg)
			}
			if got != "" {
				t.Fatalf("NormalizeDomain(%q) = %q on error, want empty", tc.in, got)
			}
		})
	}
}

// TestNormalizeDomainMatchesHost checks that a domain saved through
// NormalizeDomain is exactly what NormalizeHost produces for requests to it,
// since ByDomain compares them byte for byte.
func TestNormalizeDomainMatchesHost(t *testing.T) {
	tests := []struct {
		domain string
		host   string
	}{
		{"bücher.example", "BÜCHER.example:443"},
		{"Chat.Example.com.", "chat.example.com:8443"},
		{"xn--bcher-kva.example", "bücher.example."},
	}
	for _, tc := range tests {
		t.Run(tc.domain, func(t *testing.T) {
			d, err := NormalizeDomain(tc.domain)
			if err != nil {
				t.Fatalf("NormalizeDomain(%q): %v", tc.domain, err)
			}
			h, ok := NormalizeHost(tc.host)
			if !ok || h != d {
				t.Fatalf("NormalizeHost(%q) = %q, %v; want %q", tc.host, h, ok, d)
			}
		})
	}
}

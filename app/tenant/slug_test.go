package tenant

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateSlug(t *testing.T) {
	tests := []struct {
		name    string
		slug    string
		wantErr error
		wantMsg string // substring of the error message
	}{
		{name: "3 chars", slug: "abc"},
		{name: "40 chars", slug: strings.Repeat("a", 40)},
		{name: "digits and hyphens", slug: "team-42"},
		{name: "all digits", slug: "2024"},
		{name: "inner double hyphen", slug: "team--x"},
		{name: "not quite a uuid", slug: "0123456789abcdef0123456789abcdeg"},
		{name: "hex but not uuid length", slug: "deadbeef"},
		{name: "empty", slug: "", wantErr: ErrInvalidSlug, wantMsg: "empty"},
		{name: "2 chars", slug: "ab", wantErr: ErrInvalidSlug, wantMsg: "too short"},
		{name: "41 chars", slug: strings.Repeat("a", 41), wantErr: ErrInvalidSlug, wantMsg: "too long"},
		{name: "leading hyphen", slug: "-acme", wantErr: ErrInvalidSlug, wantMsg: "hyphen"},
		{name: "trailing hyphen", slug: "acme-", wantErr: ErrInvalidSlug, wantMsg: "hyphen"},
		{name: "uppercase", slug: "Acme", wantErr: ErrInvalidSlug, wantMsg: "lowercase"},
		{name: "underscore", slug: "acme_corp", wantErr: ErrInvalidSlug, wantMsg: `'_'`},
		{name: "dot", slug: "acme.corp", wantErr: ErrInvalidSlug, wantMsg: `'.'`},
		{name: "space", slug: "acme corp", wantErr: ErrInvalidSlug, wantMsg: `' '`},
		{name: "unicode", slug: "bücher", wantErr: ErrInvalidSlug, wantMsg: `'ü'`},
		{name: "punycode prefix", slug: "xn--bcher-kva", wantErr: ErrInvalidSlug, wantMsg: "xn--"},
		{name: "other reserved hyphen position", slug: "ab--cd", wantErr: ErrInvalidSlug, wantMsg: "third and fourth"},
		{name: "uuid with hyphens", slug: "123e4567-e89b-12d3-a456-426614174000", wantErr: ErrInvalidSlug, wantMsg: "id"},
		{name: "uuid without hyphens", slug: "123e4567e89b12d3a456426614174000", wantErr: ErrInvalidSlug, wantMsg: "id"},
		{name: "uuid all digits", slug: "12345678-1234-1234-1234-123456789012", wantErr: ErrInvalidSlug, wantMsg: "id"},
		{name: "reserved api", slug: "api", wantErr: ErrReservedSlug, wantMsg: "reserved"},
		{name: "reserved nyxcore", slug: "nyxcore", wantErr: ErrReservedSlug, wantMsg: "reserved"},
		{name: "reserved webmaster", slug: "webmaster", wantErr: ErrReservedSlug, wantMsg: "reserved"},
		{name: "uppercase reserved is invalid first", slug: "API", wantErr: ErrInvalidSlug, wantMsg: "lowercase"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateSlug(tc.slug)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ValidateSlug(%q) = %v, want %v", tc.slug, err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("ValidateSlug(%q) message %q does not mention %q", tc.slug, err, tc.wantMsg)
			}
		})
	}
}

// TestValidateSlugRefusesEveryReservedWord guards against a reserved word
// slipping through because some other rule was relaxed.
func TestValidateSlugRefusesEveryReservedWord(t *testing.T) {
	for word := range reservedSlugs {
		t.Run(word, func(t *testing.T) {
			err := ValidateSlug(word)
			if !errors.Is(err, ErrReservedSlug) && !errors.Is(err, ErrInvalidSlug) {
				t.Fatalf("ValidateSlug(%q) = %v, want a reserved or invalid slug error", word, err)
			}
		})
	}
}

// TestValidSlugsAreSubdomains checks that an accepted slug is also accepted
// as a subdomain label, which is how tenants are reached by host.
func TestValidSlugsAreSubdomains(t *testing.T) {
	for _, slug := range []string{"abc", "team-42", "team--x", strings.Repeat("z", 40)} {
		t.Run(slug, func(t *testing.T) {
			if err := ValidateSlug(slug); err != nil {
				t.Fatalf("ValidateSlug(%q) = %v, want nil", slug, err)
			}
			host := slug + ".nyx.example.com"
			if got, ok := NormalizeHost(host); !ok || got != host {
				t.Fatalf("NormalizeHost(%q) = %q, %v; want it unchanged", host, got, ok)
			}
		})
	}
}

func TestIsReservedSlug(t *testing.T) {
	tests := []struct {
		slug string
		want bool
	}{
		{"api", true},
		{"admin", true},
		{"www", true},
		{"t", true},
		{"me", true},
		{"localhost", true},
		{"hostmaster", true},
		{"API", true},
		{"Admin", true},
		{"_anything", true},
		{"_", true},
		{"acme", false},
		{"apis", false},
		{"my-admin", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.slug, func(t *testing.T) {
			if got := IsReservedSlug(tc.slug); got != tc.want {
				t.Fatalf("IsReservedSlug(%q) = %v, want %v", tc.slug, got, tc.want)
			}
		})
	}
}

package tenant

import (
	"context"
	"strings"
	"testing"
)

// The parsers below take user input straight from requests: they must
// never panic, and what they accept must be in their documented form.

func FuzzValidateSlug(f *testing.F) {
	for _, s := range []string{"acme", "a-b-c", "xn--abc", "Admin", "", strings.Repeat("a", 41), "ab", "-x-", "ünï"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidateSlug(s) != nil {
			return
		}
		if len(s) < 3 || len(s) > 40 || strings.ToLower(s) != s || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
			t.Fatalf("accepted slug %q breaks the rules", s)
		}
		if _, ok := NormalizeHost(s + ".nyx.test"); !ok {
			t.Fatalf("accepted slug %q is not a valid host label", s)
		}
	})
}

func FuzzNormalizeDomain(f *testing.F) {
	for _, s := range []string{"chat.example.com", "Bücher.example.", "http://x/y", "1.2.3.4", "a..b", "*.x.com", "localhost"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := NormalizeDomain(s)
		if err != nil {
			return
		}
		if d != strings.ToLower(d) || strings.ContainsAny(d, "/:*@ ") || !strings.Contains(d, ".") || len(d) > 253 {
			t.Fatalf("NormalizeDomain(%q) = %q", s, d)
		}
		if again, err := NormalizeDomain(d); err != nil || again != d {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, d, again, err)
		}
	})
}

type noLookup struct{}

func (noLookup) ByDomain(context.Context, string) (string, bool, error) { return "", false, nil }
func (noLookup) ByRef(_ context.Context, ref string) (string, bool, error) {
	return "id-" + ref, ref == "acme", nil
}

func FuzzResolve(f *testing.F) {
	f.Add("acme.nyx.test:8090", "acme", "")
	f.Add("[::1]:80", "", "acme")
	f.Add("evil.acme.nyx.test", "acme", "other")
	f.Fuzz(func(t *testing.T, host, path, header string) {
		r := &Resolver{BaseDomain: "nyx.test", Lookup: noLookup{}}
		res, err := r.Resolve(context.Background(), host, path, header)
		if err == nil && res.TenantID != "id-acme" {
			t.Fatalf("resolved %q/%q/%q to %q", host, path, header, res.TenantID)
		}
	})
}

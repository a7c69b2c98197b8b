package tenant

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// memLookup is an in-memory Lookup. Tests never share one across
// goroutines, so the call counters need no locking.
type memLookup struct {
	domains map[string]string // verified custom domain -> tenant id
	refs    map[string]string // tenant id or slug -> tenant id
	err     error             // returned by every call when set

	domainCalls, refCalls int
}

func (m *memLookup) ByDomain(_ context.Context, domain string) (string, bool, error) {
	m.domainCalls++
	if m.err != nil {
		return "", false, m.err
	}
	id, ok := m.domains[domain]
	return id, ok, nil
}

func (m *memLookup) ByRef(_ context.Context, ref string) (string, bool, error) {
	m.refCalls++
	if m.err != nil {
		return "", false, m.err
	}
	id, ok := m.refs[ref]
	return id, ok, nil
}

// newFixture returns a lookup with three tenants: acme (subdomain and a
// custom domain), globex, and a tenant with an internationalized domain.
// "beta.nyx.test" is deliberately stored as a verified domain to prove that
// hosts under the base domain are never looked up as custom domains.
func newFixture() *memLookup {
	return &memLookup{
		domains: map[string]string{
			"chat.acme.com":          "acme-id",
			"xn--bcher-kva.example":  "books-id",
			"acme.nyx.test.evil.com": "evil-id",
			"beta.nyx.test":          "globex-id",
		},
		refs: map[string]string{
			"acme": "acme-id", "acme-id": "acme-id",
			"globex": "globex-id", "globex-id": "globex-id",
			"books": "books-id", "books-id": "books-id",
		},
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name   string
		base   string
		host   string
		path   string
		header string
		want   Resolution
	}{
		{name: "subdomain", host: "acme.nyx.test", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "subdomain with port", host: "acme.nyx.test:8443", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "subdomain upper case", host: "ACME.NYX.Test", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "subdomain trailing dot", host: "acme.nyx.test.", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "subdomain trailing dot and port", host: "acme.nyx.test.:8443", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "subdomain by id", host: "globex-id.nyx.test", want: Resolution{"globex-id", SourceSubdomain}},
		{name: "base domain with port in config", base: "NYX.test:8090", host: "acme.nyx.test", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "localhost as base domain", base: "localhost", host: "acme.localhost:8090", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "custom domain", host: "chat.acme.com", want: Resolution{"acme-id", SourceDomain}},
		{name: "custom domain upper case with port", host: "CHAT.acme.com:443", want: Resolution{"acme-id", SourceDomain}},
		{name: "custom domain trailing dot", host: "chat.acme.com.", want: Resolution{"acme-id", SourceDomain}},
		{name: "unicode host", host: "bücher.example", want: Resolution{"books-id", SourceDomain}},
		{name: "unicode host upper case with port", host: "BÜCHER.example:8443", want: Resolution{"books-id", SourceDomain}},
		{name: "punycode host", host: "xn--bcher-kva.example", want: Resolution{"books-id", SourceDomain}},
		{name: "custom domain without base domain", base: "-", host: "chat.acme.com", want: Resolution{"acme-id", SourceDomain}},
		{name: "base domain host uses path", host: "nyx.test", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "base domain host with port uses header", host: "nyx.test:8090", header: "globex", want: Resolution{"globex-id", SourceHeader}},
		{name: "ipv4 host uses path", host: "127.0.0.1:8090", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "ipv6 host uses path", host: "[::1]:8090", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "ipv6 host without port uses header", host: "[2001:db8::1]", header: "acme", want: Resolution{"acme-id", SourceHeader}},
		{name: "localhost uses path", host: "localhost:8090", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "empty host uses path", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "unknown host falls through to path", host: "nyx.operator.example", path: "globex", want: Resolution{"globex-id", SourcePath}},
		{name: "unknown host falls through to header", host: "nyx.operator.example", header: "globex", want: Resolution{"globex-id", SourceHeader}},
		{name: "subdomain-looking host without base domain is not a subdomain", base: "-", host: "acme.nyx.test", path: "globex", want: Resolution{"globex-id", SourcePath}},
		{name: "lookalike without dot is not a subdomain", host: "acmenyx.test", path: "globex", want: Resolution{"globex-id", SourcePath}},
		{name: "lookalike with hyphen is not a subdomain", host: "acme-nyx.test", path: "globex", want: Resolution{"globex-id", SourcePath}},
		{name: "lookalike suffix is only a custom domain", host: "acme.nyx.test.evil.com", want: Resolution{"evil-id", SourceDomain}},
		{name: "path by slug", path: "acme", want: Resolution{"acme-id", SourcePath}},
		{name: "path by id", path: "acme-id", want: Resolution{"acme-id", SourcePath}},
		{name: "path upper case", path: "ACME", want: Resolution{"acme-id", SourcePath}},
		{name: "path trimmed", path: "  acme\t", want: Resolution{"acme-id", SourcePath}},
		{name: "path agrees with subdomain", host: "acme.nyx.test", path: "acme", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "path id agrees with subdomain", host: "acme.nyx.test", path: "acme-id", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "path agrees with custom domain", host: "chat.acme.com", path: "acme", want: Resolution{"acme-id", SourceDomain}},
		{name: "header alone", header: "globex", want: Resolution{"globex-id", SourceHeader}},
		{name: "header upper case and spaces", header: " GLOBEX ", want: Resolution{"globex-id", SourceHeader}},
		{name: "header agrees with path", path: "acme", header: "acme-id", want: Resolution{"acme-id", SourcePath}},
		{name: "header agrees with subdomain", host: "acme.nyx.test", header: "acme", want: Resolution{"acme-id", SourceSubdomain}},
		{name: "header agrees with host and path", host: "chat.acme.com", path: "acme", header: "acme-id", want: Resolution{"acme-id", SourceDomain}},
		{name: "blank header is ignored", host: "acme.nyx.test", header: "   ", want: Resolution{"acme-id", SourceSubdomain}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newResolver(tc.base, newFixture())
			got, err := r.Resolve(context.Background(), tc.host, tc.path, tc.header)
			if err != nil || got != tc.want {
				t.Fatalf("Resolve(%q, %q, %q) = %+v, %v; want %+v, nil", tc.host, tc.path, tc.header, got, err, tc.want)
			}
		})
	}
}

func TestResolveRefuses(t *testing.T) {
	tests := []struct {
		name    string
		base    string
		host    string
		path    string
		header  string
		wantErr error
	}{
		{name: "nothing", wantErr: ErrNoTenant},
		{name: "base domain alone", host: "nyx.test:8090", wantErr: ErrNoTenant},
		{name: "ip alone", host: "10.0.0.1", wantErr: ErrNoTenant},
		{name: "unknown host alone", host: "nyx.operator.example", wantErr: ErrNoTenant},
		{name: "lookalike alone", host: "acmenyx.test", wantErr: ErrNoTenant},
		{name: "unknown subdomain", host: "nope.nyx.test", wantErr: ErrUnknownTenant},
		{name: "unknown subdomain does not fall through to path", host: "nope.nyx.test", path: "acme", wantErr: ErrUnknownTenant},
		{name: "unknown subdomain does not fall through to header", host: "nope.nyx.test:8443", header: "acme", wantErr: ErrUnknownTenant},
		{name: "www subdomain is not a tenant", host: "www.nyx.test", path: "acme", wantErr: ErrUnknownTenant},
		{name: "under-base host is never a custom domain", host: "beta.nyx.test", wantErr: ErrUnknownTenant},
		{name: "two-level subdomain", host: "a.acme.nyx.test", wantErr: ErrUnknownTenant},
		{name: "two-level subdomain with known labels", host: "acme.globex.nyx.test", path: "acme", wantErr: ErrUnknownTenant},
		{name: "punycode subdomain", host: "bücher.nyx.test", wantErr: ErrUnknownTenant},
		{name: "malformed host", host: "acme_corp.nyx.test", path: "acme", wantErr: ErrUnknownTenant},
		{name: "malformed bracketed host", host: "[::1", path: "acme", wantErr: ErrUnknownTenant},
		{name: "unknown path", path: "nope", wantErr: ErrUnknownTenant},
		{name: "unknown path after host tenant", host: "acme.nyx.test", path: "nope", wantErr: ErrUnknownTenant},
		{name: "path disagrees with subdomain", host: "acme.nyx.test", path: "globex", wantErr: ErrUnknownTenant},
		{name: "path disagrees with custom domain", host: "chat.acme.com", path: "globex-id", wantErr: ErrUnknownTenant},
		{name: "path disagrees with punycode domain", host: "bücher.example", path: "acme", wantErr: ErrUnknownTenant},
		{name: "unknown header", header: "nope", wantErr: ErrUnknownTenant},
		{name: "header disagrees with path", path: "acme", header: "globex", wantErr: ErrUnknownTenant},
		{name: "header disagrees with subdomain", host: "acme.nyx.test", header: "globex", wantErr: ErrUnknownTenant},
		{name: "header disagrees with custom domain", host: "chat.acme.com", header: "globex", wantErr: ErrUnknownTenant},
		{name: "unknown header after path", path: "acme", header: "nope", wantErr: ErrUnknownTenant},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newResolver(tc.base, newFixture())
			got, err := r.Resolve(context.Background(), tc.host, tc.path, tc.header)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Resolve(%q, %q, %q) = %+v, %v; want %v", tc.host, tc.path, tc.header, got, err, tc.wantErr)
			}
			if got != (Resolution{}) {
				t.Fatalf("Resolve(%q, %q, %q) = %+v on error, want zero Resolution", tc.host, tc.path, tc.header, got)
			}
		})
	}
}

// TestResolveInvalidRefs checks that malformed refs are refused before they
// reach the store.
func TestResolveInvalidRefs(t *testing.T) {
	tests := []struct {
		name   string
		host   string
		path   string
		header string
	}{
		{name: "path too long", path: strings.Repeat("a", 129)},
		{name: "header too long", header: strings.Repeat("a", 129)},
		{name: "path with slash", path: "acme/../globex"},
		{name: "path with dot", path: "acme.corp"},
		{name: "path with inner space", path: "ac me"},
		{name: "path with percent", path: "acme%00"},
		{name: "path unicode", path: "bücher"},
		{name: "header with quote", header: `acme"`},
		{name: "header with comma", header: "acme,globex"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookup := newFixture()
			r := newResolver("", lookup)
			_, err := r.Resolve(context.Background(), tc.host, tc.path, tc.header)
			if !errors.Is(err, ErrUnknownTenant) {
				t.Fatalf("Resolve(%q, %q) error = %v, want ErrUnknownTenant", tc.path, tc.header, err)
			}
			if lookup.refCalls != 0 {
				t.Fatalf("ByRef called %d times for an invalid ref, want 0", lookup.refCalls)
			}
		})
	}
}

// TestResolveRefLengthLimit checks the boundary: 128 characters still reach
// the store, so valid long ids are not refused by accident.
func TestResolveRefLengthLimit(t *testing.T) {
	ref := strings.Repeat("a", 128)
	lookup := newFixture()
	lookup.refs[ref] = "long-id"
	got, err := newResolver("", lookup).Resolve(context.Background(), "", ref, "")
	want := Resolution{TenantID: "long-id", Source: SourcePath}
	if err != nil || got != want {
		t.Fatalf("Resolve with a 128-char ref = %+v, %v; want %+v, nil", got, err, want)
	}
}

func TestResolveLookupErrors(t *testing.T) {
	errBoom := errors.New("database is down")
	tests := []struct {
		name   string
		host   string
		path   string
		header string
	}{
		{name: "ByDomain", host: "chat.acme.com"},
		{name: "ByRef for subdomain", host: "acme.nyx.test"},
		{name: "ByRef for path", path: "acme"},
		{name: "ByRef for header", header: "acme"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lookup := newFixture()
			lookup.err = errBoom
			_, err := newResolver("", lookup).Resolve(context.Background(), tc.host, tc.path, tc.header)
			if !errors.Is(err, errBoom) {
				t.Fatalf("Resolve error = %v, want it to wrap %v", err, errBoom)
			}
			if errors.Is(err, ErrUnknownTenant) || errors.Is(err, ErrNoTenant) {
				t.Fatalf("Resolve error = %v, must not look like a missing tenant", err)
			}
			if !strings.HasPrefix(err.Error(), "tenant: resolve: ") {
				t.Fatalf("Resolve error = %q, want the tenant: resolve: prefix", err)
			}
		})
	}
}

// TestResolveSkipsLookupForNonTenantHosts checks that hosts which can never
// be custom domains do not cost a store query.
func TestResolveSkipsLookupForNonTenantHosts(t *testing.T) {
	for _, host := range []string{"nyx.test", "localhost:8090", "127.0.0.1", "[::1]:8090"} {
		t.Run(host, func(t *testing.T) {
			lookup := newFixture()
			_, err := newResolver("", lookup).Resolve(context.Background(), host, "", "")
			if !errors.Is(err, ErrNoTenant) {
				t.Fatalf("Resolve(%q) error = %v, want ErrNoTenant", host, err)
			}
			if lookup.domainCalls != 0 || lookup.refCalls != 0 {
				t.Fatalf("Resolve(%q) made %d domain and %d ref lookups, want none", host, lookup.domainCalls, lookup.refCalls)
			}
		})
	}
}

func TestResolveMisconfigured(t *testing.T) {
	tests := []struct {
		name     string
		resolver *Resolver
	}{
		{"invalid base domain", &Resolver{BaseDomain: "nyx_test", Lookup: newFixture()}},
		{"nil lookup", &Resolver{BaseDomain: "nyx.test"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.resolver.Resolve(context.Background(), "acme.nyx.test", "acme", "")
			if err == nil {
				t.Fatal("Resolve succeeded, want a configuration error")
			}
			if errors.Is(err, ErrUnknownTenant) || errors.Is(err, ErrNoTenant) {
				t.Fatalf("Resolve error = %v, must not look like a missing tenant", err)
			}
		})
	}
}

// newResolver builds a Resolver for tests: base "" means the default
// "nyx.test" and "-" means no base domain.
func newResolver(base string, lookup Lookup) *Resolver {
	switch base {
	case "":
		base = "nyx.test"
	case "-":
		base = ""
	}
	return &Resolver{BaseDomain: base, Lookup: lookup}
}

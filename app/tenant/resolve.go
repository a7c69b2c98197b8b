package tenant

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Source says where a request's tenant came from.
type Source string

// The places a tenant can be named, in the order Resolve consults them.
const (
	// SourceDomain is a verified custom domain in the Host header.
	SourceDomain Source = "domain"
	// SourceSubdomain is a slug subdomain of the Resolver's BaseDomain.
	SourceSubdomain Source = "subdomain"
	// SourcePath is the {tenant} segment of /api/nyx/tenants/{tenant}/...
	SourcePath Source = "path"
	// SourceHeader is the X-Nyx-Tenant request header.
	SourceHeader Source = "header"
)

// maxRefLen bounds tenant refs so junk input never reaches the store.
const maxRefLen = 128

// Lookup finds tenants. Implementations are safe for concurrent use.
type Lookup interface {
	// ByDomain returns the id of the tenant whose VERIFIED custom domain is
	// exactly domain (normalized ASCII); found=false if none.
	ByDomain(ctx context.Context, domain string) (id string, found bool, err error)
	// ByRef returns the id of the tenant whose id or slug is ref;
	// found=false if none.
	ByRef(ctx context.Context, ref string) (id string, found bool, err error)
}

// Resolver decides which tenant an HTTP request belongs to. Its fields are
// read on every call, so it is safe for concurrent use as long as they are
// not modified meanwhile.
type Resolver struct {
	// BaseDomain is the host under which tenants get slug subdomains, such
	// as "nyx.example.com". Empty disables subdomain tenants. It is
	// normalized like a Host header, so a port or upper case is harmless.
	BaseDomain string
	// Lookup finds tenants by domain, id or slug. It must not be nil.
	Lookup Lookup
}

// Resolution is the tenant a request belongs to and how that was decided.
type Resolution struct {
	// TenantID is the id of the resolved tenant.
	TenantID string
	// Source is where the tenant was named first.
	Source Source
}

// Resolve returns the tenant of a request given its Host header, the
// {tenant} path segment (pathRef, "" if the route has none) and the
// X-Nyx-Tenant header (headerRef, "" if absent). Sources are consulted in
// this order:
//
//  1. Host. An IP address, localhost or BaseDomain itself names no tenant.
//     A host exactly one label under BaseDomain names the tenant with that
//     slug (or id); if there is none, or the host is deeper under
//     BaseDomain, the result is ErrUnknownTenant so an unknown subdomain
//     never falls through to other sources. Any other host is looked up as
//     a verified custom domain; if none matches the request falls through,
//     because the operator's own hostname is not a tenant. A host under
//     BaseDomain is never treated as a custom domain, and lookalikes such
//     as "acmenyx.example.com" are not subdomains. A non-empty Host that
//     cannot be parsed gives ErrUnknownTenant.
//  2. pathRef, an id or slug, trimmed and lowercased. If the host already
//     named a tenant, pathRef must name the same one.
//  3. headerRef, treated like pathRef. If an earlier source named a tenant,
//     the header must agree with it.
//
// A ref naming no tenant, a malformed ref (over 128 characters or outside
// [A-Za-z0-9_-]) and a disagreement between sources all give
// ErrUnknownTenant, so responses do not reveal which tenants exist. No
// tenant at all gives ErrNoTenant. Lookup errors are returned wrapped.
func (r *Resolver) Resolve(ctx context.Context, host, pathRef, headerRef string) (Resolution, error) {
	if r.Lookup == nil {
		return Resolution{}, errors.New("tenant: resolve: Resolver.Lookup is nil")
	}
	res, err := r.fromHost(ctx, host)
	if err != nil {
		return Resolution{}, err
	}
	if res, err = r.fromRef(ctx, res, pathRef, SourcePath); err != nil {
		return Resolution{}, err
	}
	if res, err = r.fromRef(ctx, res, headerRef, SourceHeader); err != nil {
		return Resolution{}, err
	}
	if res.TenantID == "" {
		return Resolution{}, ErrNoTenant
	}
	return res, nil
}

// fromHost applies step 1 of Resolve; a zero Resolution means no host tenant.
func (r *Resolver) fromHost(ctx context.Context, rawHost string) (Resolution, error) {
	rawHost = strings.TrimSpace(rawHost)
	if rawHost == "" {
		return Resolution{}, nil
	}
	host, ok := NormalizeHost(rawHost)
	if !ok {
		return Resolution{}, ErrUnknownTenant
	}
	base, err := r.baseDomain()
	if err != nil {
		return Resolution{}, err
	}
	if IsIP(host) || host == "localhost" || host == base {
		return Resolution{}, nil
	}
	if label, under := subdomainOf(host, base); under {
		return r.fromSubdomain(ctx, label)
	}
	return r.fromDomain(ctx, host)
}

// baseDomain normalizes BaseDomain. A malformed value is a configuration
// error and fails every request rather than silently disabling subdomains.
func (r *Resolver) baseDomain() (string, error) {
	if r.BaseDomain == "" {
		return "", nil
	}
	base, ok := NormalizeHost(strings.TrimSpace(r.BaseDomain))
	if !ok {
		return "", fmt.Errorf("tenant: resolve: invalid BaseDomain %q", r.BaseDomain)
	}
	return base, nil
}

// subdomainOf reports whether host lies under base and, if so, returns the
// part before base. Matching on "."+base is what keeps lookalikes such as
// "acmenyx.example.com" from counting as subdomains.
func subdomainOf(host, base string) (string, bool) {
	if base == "" {
		return "", false
	}
	return strings.CutSuffix(host, "."+base)
}

// fromSubdomain resolves a slug subdomain. Deeper subdomains name nothing.
func (r *Resolver) fromSubdomain(ctx context.Context, label string) (Resolution, error) {
	if strings.Contains(label, ".") {
		return Resolution{}, ErrUnknownTenant
	}
	id, err := r.byRef(ctx, label)
	if err != nil {
		return Resolution{}, err
	}
	return Resolution{TenantID: id, Source: SourceSubdomain}, nil
}

// fromDomain looks host up as a verified custom domain.
func (r *Resolver) fromDomain(ctx context.Context, host string) (Resolution, error) {
	id, found, err := r.Lookup.ByDomain(ctx, host)
	if err != nil {
		return Resolution{}, fmt.Errorf("tenant: resolve: %w", err)
	}
	if !found {
		return Resolution{}, nil
	}
	return Resolution{TenantID: id, Source: SourceDomain}, nil
}

// fromRef applies steps 2 and 3 of Resolve: an empty ref changes nothing,
// otherwise it must name a tenant that agrees with res, if res has one.
func (r *Resolver) fromRef(ctx context.Context, res Resolution, ref string, src Source) (Resolution, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return res, nil
	}
	id, err := r.byRef(ctx, strings.ToLower(ref))
	if err != nil {
		return Resolution{}, err
	}
	if res.TenantID == "" {
		return Resolution{TenantID: id, Source: src}, nil
	}
	if id != res.TenantID {
		return Resolution{}, ErrUnknownTenant
	}
	return res, nil
}

// byRef looks up a tenant id or slug, turning "not found" and malformed
// refs into ErrUnknownTenant.
func (r *Resolver) byRef(ctx context.Context, ref string) (string, error) {
	if !validRef(ref) {
		return "", ErrUnknownTenant
	}
	id, found, err := r.Lookup.ByRef(ctx, ref)
	if err != nil {
		return "", fmt.Errorf("tenant: resolve: %w", err)
	}
	if !found {
		return "", ErrUnknownTenant
	}
	return id, nil
}

// validRef reports whether ref could be an id or slug at all.
func validRef(ref string) bool {
	if ref == "" || len(ref) > maxRefLen {
		return false
	}
	for _, c := range ref {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

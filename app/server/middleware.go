package server

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// Request-scoped values set by the middleware.
const (
	keyTenantID = "nyx.tenantId"
	keyRole     = "nyx.role"
)

// noStore keeps API answers (which carry private data) out of caches.
func (a *api) noStore(e *core.RequestEvent) error {
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.Next()
}

// requireUser admits requests carrying a valid token of the users
// collection. PocketBase has already verified the token (signature,
// expiry, the record still existing); anything else leaves e.Auth nil.
func (a *api) requireUser(e *core.RequestEvent) error {
	if e.Auth == nil {
		return a.fail(e, errAuthRequired)
	}
	if e.Auth.Collection().Name != "users" {
		return a.fail(e, errUserRequired)
	}
	return e.Next()
}

// tenantScope resolves the request's tenant (custom domain, subdomain, the
// {tenant} path segment, X-Nyx-Tenant) and admits members only. Anyone
// else gets the same 404 as for a tenant that does not exist.
func (a *api) tenantScope(e *core.RequestEvent) error {
	ctx := e.Request.Context()
	res, err := a.resolver.Resolve(ctx, e.Request.Host, e.Request.PathValue("tenant"), e.Request.Header.Get("X-Nyx-Tenant"))
	if err != nil {
		return a.fail(e, err)
	}
	m, err := a.Store.GetMember(ctx, res.TenantID, e.Auth.Id)
	if errors.Is(err, store.ErrNotFound) {
		return a.fail(e, errTenantNotFound)
	}
	if err != nil {
		return a.fail(e, err)
	}
	e.Set(keyTenantID, res.TenantID)
	e.Set(keyRole, tenant.Role(m.Role))
	return e.Next()
}

// requireRole admits members whose role is at least min.
func requireRole(min tenant.Role) func(e *core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		if !role(e).AtLeast(min) {
			return e.JSON(errForbidden.Status, errForbidden)
		}
		return e.Next()
	}
}

func tenantID(e *core.RequestEvent) string { s, _ := e.Get(keyTenantID).(string); return s }

func role(e *core.RequestEvent) tenant.Role { r, _ := e.Get(keyRole).(tenant.Role); return r }

// storeLookup adapts the store's registry to tenant.Lookup.
type storeLookup struct{ s store.Store }

func (l storeLookup) ByDomain(ctx context.Context, domain string) (string, bool, error) {
	return found(l.s.ResolveTenant(ctx, store.FindTenant{Domain: domain}))
}

// ByRef looks a ref up as an id when it has an id's shape and as a slug
// otherwise: ids are UUIDs, which slugs may never look like, so one query
// always suffices.
func (l storeLookup) ByRef(ctx context.Context, ref string) (string, bool, error) {
	if _, err := uuid.Parse(ref); err == nil {
		return found(l.s.ResolveTenant(ctx, store.FindTenant{ID: ref}))
	}
	return found(l.s.ResolveTenant(ctx, store.FindTenant{Slug: ref}))
}

func found(id string, err error) (string, bool, error) {
	if errors.Is(err, store.ErrNotFound) {
		return "", false, nil
	}
	return id, err == nil, err
}

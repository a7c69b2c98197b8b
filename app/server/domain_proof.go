package server

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// wellKnownDomain answers GET /.well-known/nyxcore-domain/{token} on any
// host: the token itself when it is the token of a tenant whose pending
// custom domain is that host. Serving it proves, during verification,
// that the domain points at this server.
func (a *api) wellKnownDomain(e *core.RequestEvent) error {
	token := e.Request.PathValue("token")
	host, okHost := tenant.NormalizeHost(e.Request.Host)
	id, okToken := ownership.TenantOf(token)
	if !okHost || !okToken || uuid.Validate(id) != nil {
		return notFound(e)
	}
	t, err := a.Store.GetTenant(e.Request.Context(), id)
	if err != nil || t.CustomDomain == nil || *t.CustomDomain != host || t.CustomDomainVerifiedAt != nil ||
		!a.Ownership.Valid(token, id, host) {
		return notFound(e)
	}
	e.Response.Header().Set("Cache-Control", "no-store")
	return e.String(http.StatusOK, token)
}

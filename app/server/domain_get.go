package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// getDomain answers GET /api/nyx/tenants/{tenant}/domain (owner or admin):
// the custom domain, whether it is verified, and the DNS record or HTTP
// URL that proves it.
func (a *api) getDomain(e *core.RequestEvent) error {
	t, err := a.Store.GetTenant(e.Request.Context(), tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, a.viewDomain(t))
}

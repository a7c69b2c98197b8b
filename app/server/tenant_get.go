package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// getTenant answers GET /api/nyx/tenants/{tenant}.
func (a *api) getTenant(e *core.RequestEvent) error {
	t, err := a.Store.GetTenant(e.Request.Context(), tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, viewTenant(t, role(e)))
}

package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/realtime"
)

// deleteTenant answers DELETE /api/nyx/tenants/{tenant} (owner only).
func (a *api) deleteTenant(e *core.RequestEvent) error {
	if err := a.Store.DeleteTenant(e.Request.Context(), tenantID(e)); err != nil {
		return a.fail(e, err)
	}
	a.revoke(e, realtime.Revocation{TenantID: tenantID(e), Reason: realtime.ReasonTenantDeleted})
	a.record(e, tenantID(e), "tenant.delete", "tenant", tenantID(e), nil) // the log outlives the tenant
	return e.NoContent(http.StatusNoContent)
}

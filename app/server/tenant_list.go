package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// listTenants answers GET /api/nyx/tenants: the caller's tenants.
func (a *api) listTenants(e *core.RequestEvent) error {
	ms, err := a.Store.ListMemberships(e.Request.Context(), e.Auth.Id)
	if err != nil {
		return a.fail(e, err)
	}
	out := list[tenantView]{Items: make([]tenantView, 0, len(ms))}
	for _, m := range ms {
		out.Items = append(out.Items, viewTenant(&m.Tenant, tenant.Role(m.Role)))
	}
	return e.JSON(http.StatusOK, out)
}

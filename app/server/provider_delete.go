package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm/registry"
)

// deleteProvider answers DELETE /api/nyx/tenants/{tenant}/providers/{id} (admin).
func (a *api) deleteProvider(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if id == registry.BuiltinID {
		return a.fail(e, errBuiltin)
	}
	err := a.Store.DeleteProvider(e.Request.Context(), tenantID(e), id)
	if isProviderNotFound(err) {
		return a.fail(e, errProviderNotFound)
	}
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "provider.delete", "provider", id, nil)
	return e.NoContent(http.StatusNoContent)
}

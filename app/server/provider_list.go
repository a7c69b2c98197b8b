package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// listProviders answers GET /api/nyx/tenants/{tenant}/providers.
func (a *api) listProviders(e *core.RequestEvent) error {
	rows, err := a.tenantProviders(e)
	if err != nil {
		return a.fail(e, err)
	}
	out := list[providerView]{Items: make([]providerView, 0, len(rows))}
	for _, p := range rows {
		out.Items = append(out.Items, a.viewProvider(p))
	}
	return e.JSON(http.StatusOK, out)
}

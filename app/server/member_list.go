package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// listMembers answers GET /api/nyx/tenants/{tenant}/members.
func (a *api) listMembers(e *core.RequestEvent) error {
	ms, err := a.Store.ListMembers(e.Request.Context(), tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	out := list[memberView]{Items: make([]memberView, 0, len(ms))}
	for i := range ms {
		out.Items = append(out.Items, viewMember(&ms[i]))
	}
	return e.JSON(http.StatusOK, out)
}

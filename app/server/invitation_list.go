package server

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// listInvitations answers GET /api/nyx/tenants/{tenant}/invitations (owner
// or admin): the open invitations, expired ones flagged, newest first.
func (a *api) listInvitations(e *core.RequestEvent) error {
	invs, err := a.Store.ListInvitations(e.Request.Context(), tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	now := time.Now()
	out := list[invitationView]{Items: make([]invitationView, 0, len(invs))}
	for i := range invs {
		out.Items = append(out.Items, viewInvitation(&invs[i], now))
	}
	return e.JSON(http.StatusOK, out)
}

package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

// revokeInvitation answers DELETE /api/nyx/tenants/{tenant}/invitations/{id}
// (owner or admin): the link stops working at once.
func (a *api) revokeInvitation(e *core.RequestEvent) error {
	inv, err := a.Store.RevokeInvitation(e.Request.Context(), tenantID(e), e.Request.PathValue("id"), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return a.fail(e, newError(http.StatusNotFound, "invitation_not_found", "No such open invitation in this tenant."))
	}
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "invitation.revoke", "invitation", inv.ID, map[string]any{"email": inv.Email, "role": inv.Role})
	return e.NoContent(http.StatusNoContent)
}

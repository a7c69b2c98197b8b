package server

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// removeMember answers DELETE /api/nyx/tenants/{tenant}/members/{userId}:
// owners and admins remove others (admins not owners); anyone may leave.
func (a *api) removeMember(e *core.RequestEvent) error {
	target, err := a.member(e)
	if err != nil {
		return a.fail(e, err)
	}
	self := target.UserID == e.Auth.Id
	if err := tenant.CanRemove(role(e), tenant.Role(target.Role), self); err != nil {
		return a.fail(e, err)
	}
	if err := a.Store.RemoveMember(e.Request.Context(), tenantID(e), target.UserID); err != nil {
		return a.fail(e, err)
	}
	a.revoke(e, realtime.Revocation{UserID: target.UserID, TenantID: tenantID(e), Reason: realtime.ReasonRemoved})
	action := "member.remove"
	if self {
		action = "member.leave"
	}
	a.record(e, tenantID(e), action, "user", target.UserID, map[string]any{"email": target.Email, "role": target.Role})
	return e.NoContent(http.StatusNoContent)
}

// member loads the {userId} member of the request's tenant.
func (a *api) member(e *core.RequestEvent) (*store.Member, error) {
	m, err := a.Store.GetMember(e.Request.Context(), tenantID(e), e.Request.PathValue("userId"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errMemberNotFound
	}
	return m, err
}

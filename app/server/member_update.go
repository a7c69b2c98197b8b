package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/tenant"
)

type updateMemberBody struct {
	Role string `json:"role"`
}

// updateMember answers PATCH /api/nyx/tenants/{tenant}/members/{userId}.
func (a *api) updateMember(e *core.RequestEvent) error {
	var body updateMemberBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	to, err := validRole(body.Role)
	if err != nil {
		return a.fail(e, err)
	}
	target, err := a.member(e)
	if err != nil {
		return a.fail(e, err)
	}
	if err := tenant.CanChangeRole(role(e), tenant.Role(target.Role), to); err != nil {
		return a.fail(e, err)
	}
	m, err := a.Store.UpdateMemberRole(e.Request.Context(), tenantID(e), target.UserID, string(to))
	if err != nil {
		return a.fail(e, err)
	}
	a.revoke(e, realtime.Revocation{UserID: m.UserID, TenantID: tenantID(e), Role: tenant.Role(m.Role), Reason: realtime.ReasonRoleChanged})
	a.record(e, tenantID(e), "member.role", "user", m.UserID, map[string]any{"from": target.Role, "to": m.Role})
	return e.JSON(http.StatusOK, viewMember(m))
}

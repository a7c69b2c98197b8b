package server

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/audit"
)

// record appends a security-relevant action of the request's user to the
// tenant's audit log. It runs after the action succeeded; a failure to
// record is logged loudly rather than undoing the action.
func (a *api) record(e *core.RequestEvent, tenantID, action, targetType, targetID string, details map[string]any) {
	entry := audit.Entry{TenantID: tenantID, Action: action, TargetType: targetType, TargetID: targetID,
		IP: e.RealIP(), UserAgent: e.Request.UserAgent(), Details: details}
	if e.Auth != nil {
		entry.ActorID, entry.ActorEmail = e.Auth.Id, e.Auth.Email()
	}
	if err := a.Audit.Record(e.Request.Context(), entry); err != nil {
		e.App.Logger().Error("nyx: audit record failed", "tenant", tenantID, "action", action, "error", err.Error())
	}
}

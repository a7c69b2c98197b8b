package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// usage answers GET /api/nyx/tenants/{tenant}/usage: LLM tokens used
// today and this month (UTC) by the tenant and by the caller, against the
// budgets in force (0: unlimited).
func (a *api) usage(e *core.RequestEvent) error {
	if a.Budgets == nil {
		return e.JSON(http.StatusOK, map[string]any{"limits": map[string]int{}, "usage": map[string]int{}})
	}
	s, err := a.Budgets.Get(e.Request.Context(), tenantID(e), e.Auth.Id)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{
		"limits": map[string]int64{"tenant_daily": s.Limits.TenantDaily, "tenant_monthly": s.Limits.TenantMonthly,
			"user_daily": s.Limits.UserDaily, "user_monthly": s.Limits.UserMonthly},
		"usage": map[string]int64{"tenant_day": s.Usage.TenantDay, "tenant_month": s.Usage.TenantMonth,
			"user_day": s.Usage.UserDay, "user_month": s.Usage.UserMonth},
	})
}

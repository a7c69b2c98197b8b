package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type membershipView struct {
	TenantID string `json:"tenant_id"`
	Slug     string `json:"slug"`
	Name     string `json:"name"`
	Role     string `json:"role"`
}

// me answers GET /api/nyx/me: the signed-in user and their memberships.
func (a *api) me(e *core.RequestEvent) error {
	ms, err := a.Store.ListMemberships(e.Request.Context(), e.Auth.Id)
	if err != nil {
		return a.fail(e, err)
	}
	out := make([]membershipView, 0, len(ms))
	for _, m := range ms {
		out = append(out, membershipView{TenantID: m.Tenant.ID, Slug: m.Tenant.Slug, Name: m.Tenant.Name, Role: m.Role})
	}
	return e.JSON(http.StatusOK, map[string]any{
		"user": map[string]any{
			"id": e.Auth.Id, "email": e.Auth.Email(), "name": e.Auth.GetString("name"), "verified": e.Auth.Verified(),
		},
		"memberships": out,
	})
}

// ensureMirror writes the caller's mirror row, so acting on the data plane
// never depends on a hook that may have been missed (e.g. a crash between
// PocketBase's commit and the hook).
func (a *api) ensureMirror(e *core.RequestEvent) error {
	return a.Store.UpsertUser(e.Request.Context(), store.User{ID: e.Auth.Id, Email: e.Auth.Email(), Name: e.Auth.GetString("name")})
}

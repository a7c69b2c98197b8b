package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/tenant"
)

type createTenantBody struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// createTenant answers POST /api/nyx/tenants: the caller becomes owner.
func (a *api) createTenant(e *core.RequestEvent) error {
	var body createTenantBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	if err := validSlug(body.Slug); err != nil {
		return a.fail(e, err)
	}
	name, err := validName("name", body.Name)
	if err != nil {
		return a.fail(e, err)
	}
	if err := a.ensureMirror(e); err != nil {
		return a.fail(e, err)
	}
	t, err := a.Store.CreateTenant(e.Request.Context(), body.Slug, name, e.Auth.Id)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, t.ID, "tenant.create", "tenant", t.ID, map[string]any{"slug": t.Slug, "name": t.Name})
	return e.JSON(http.StatusCreated, viewTenant(t, tenant.RoleOwner))
}

package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type updateTenantBody struct {
	Name         optString `json:"name"`
	Slug         optString `json:"slug"`
	CustomDomain optString `json:"custom_domain"` // null or "" clears it
}

// updateTenant answers PATCH /api/nyx/tenants/{tenant} (owner or admin).
// Every field is validated before anything is written.
func (a *api) updateTenant(e *core.RequestEvent) error {
	var body updateTenantBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	u, err := a.tenantUpdate(body)
	if err != nil {
		return a.fail(e, err)
	}
	t, err := a.Store.UpdateTenant(e.Request.Context(), tenantID(e), u)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, t.ID, "tenant.update", "tenant", t.ID, map[string]any{"name": u.Name != nil, "slug": u.Slug != nil, "custom_domain": u.CustomDomain != nil})
	return e.JSON(http.StatusOK, viewTenant(t, role(e)))
}

func (a *api) tenantUpdate(body updateTenantBody) (store.UpdateTenant, error) {
	var u store.UpdateTenant
	if body.Name.Set {
		name, err := validName("name", deref(body.Name.Value))
		if err != nil {
			return u, err
		}
		u.Name = &name
	}
	if body.Slug.Set {
		if err := validSlug(deref(body.Slug.Value)); err != nil {
			return u, err
		}
		u.Slug = body.Slug.Value
		u.SlugHold = a.Config.Tenant.SlugHold // old links keep reaching this tenant
	}
	if body.CustomDomain.Set {
		domain := ""
		if v := deref(body.CustomDomain.Value); v != "" {
			var err error
			if domain, err = a.validDomain(v); err != nil {
				return u, err
			}
		}
		u.CustomDomain = &domain
	}
	return u, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

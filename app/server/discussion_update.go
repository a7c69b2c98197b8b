package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/tenant"
)

type renameBody struct {
	Title string `json:"title"`
}

// renameDiscussion answers PATCH /api/nyx/tenants/{tenant}/discussions/{id} (member).
func (a *api) renameDiscussion(e *core.RequestEvent) error {
	var body renameBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	title, err := validTitle(body.Title)
	if err != nil {
		return a.fail(e, err)
	}
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	d, err = a.Store.RenameDiscussion(e.Request.Context(), d.TenantID, d.ID, title)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, a.viewDiscussion(d))
}

// deleteDiscussion answers DELETE /api/nyx/tenants/{tenant}/discussions/{id}:
// its creator or an admin; a running turn is stopped first.
func (a *api) deleteDiscussion(e *core.RequestEvent) error {
	d, err := a.discussion(e)
	if err != nil {
		return a.fail(e, err)
	}
	if d.CreatedBy != e.Auth.Id && !role(e).AtLeast(tenant.RoleAdmin) {
		return a.fail(e, errForbidden)
	}
	a.Engine.Stop(d.TenantID, d.ID)
	if err := a.Store.DeleteDiscussion(e.Request.Context(), d.TenantID, d.ID); err != nil {
		return a.fail(e, err)
	}
	a.record(e, d.TenantID, "discussion.delete", "discussion", d.ID, map[string]any{"title": d.Title})
	return e.NoContent(http.StatusNoContent)
}

package server

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

// listPersonas answers GET /api/nyx/tenants/{tenant}/personas.
func (a *api) listPersonas(e *core.RequestEvent) error {
	ps, err := a.Store.ListPersonas(e.Request.Context(), tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	out := list[personaView]{Items: make([]personaView, 0, len(ps))}
	for i := range ps {
		out.Items = append(out.Items, viewPersona(&ps[i]))
	}
	return e.JSON(http.StatusOK, out)
}

// getPersona answers GET /api/nyx/tenants/{tenant}/personas/{id}.
func (a *api) getPersona(e *core.RequestEvent) error {
	p, err := a.persona(e)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusOK, viewPersona(p))
}

func (a *api) persona(e *core.RequestEvent) (*store.Persona, error) {
	p, err := a.Store.GetPersona(e.Request.Context(), tenantID(e), e.Request.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errPersonaNotFound
	}
	return p, err
}

// deletePersona answers DELETE /api/nyx/tenants/{tenant}/personas/{id}.
func (a *api) deletePersona(e *core.RequestEvent) error {
	err := a.Store.DeletePersona(e.Request.Context(), tenantID(e), e.Request.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return a.fail(e, errPersonaNotFound)
	}
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "persona.delete", "persona", e.Request.PathValue("id"), nil)
	return e.NoContent(http.StatusNoContent)
}

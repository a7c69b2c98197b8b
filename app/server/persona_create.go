package server

import (
	"encoding/json"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type personaBody struct {
	Name         string          `json:"name"`
	Avatar       string          `json:"avatar"`
	Color        string          `json:"color"`
	ProviderID   string          `json:"provider_id"`
	Model        string          `json:"model"`
	SystemPrompt string          `json:"system_prompt"`
	Temperature  *float64        `json:"temperature"`
	Options      json.RawMessage `json:"options"`
}

// createPersona answers POST /api/nyx/tenants/{tenant}/personas (member).
func (a *api) createPersona(e *core.RequestEvent) error {
	var body personaBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	p, warnings, err := a.newPersona(e, body)
	if err != nil {
		return a.fail(e, err)
	}
	created, err := a.Store.CreatePersona(e.Request.Context(), p)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, created.TenantID, "persona.create", "persona", created.ID, map[string]any{"name": created.Name, "model": created.Model})
	v := viewPersona(created)
	v.Warnings = warnings
	return e.JSON(http.StatusCreated, v)
}

// newPersona validates b, checking its model against its provider last
// (the only check that leaves the process).
func (a *api) newPersona(e *core.RequestEvent, b personaBody) (store.Persona, []warning, error) {
	p, err := a.validPersona(e, b)
	if err != nil {
		return p, nil, err
	}
	prov, err := a.personaProvider(e, b.ProviderID)
	if err != nil {
		return p, nil, err
	}
	var warnings []warning
	p.Model, warnings, err = a.checkPersonaModel(e.Request.Context(), prov, p.Model)
	return p, warnings, err
}

func (a *api) validPersona(e *core.RequestEvent, b personaBody) (store.Persona, error) {
	var p store.Persona
	name, err := validName("name", b.Name)
	if err != nil {
		return p, err
	}
	model, err := validModelName(b.Model)
	if err != nil {
		return p, err
	}
	opts, _, err := validOptions(b.Options)
	if err != nil {
		return p, err
	}
	for _, err := range []error{validAvatar(b.Avatar), validColor(b.Color), validSystemPrompt(b.SystemPrompt), validTemperature(b.Temperature)} {
		if err != nil {
			return p, err
		}
	}
	return store.Persona{TenantID: tenantID(e), Name: name, Avatar: b.Avatar, Color: b.Color, ProviderID: b.ProviderID,
		Model: model, SystemPrompt: b.SystemPrompt, Temperature: b.Temperature, Options: opts}, nil
}

package server

import (
	"encoding/json"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type updatePersonaBody struct {
	Name         *string         `json:"name"`
	Avatar       *string         `json:"avatar"`
	Color        *string         `json:"color"`
	ProviderID   *string         `json:"provider_id"`
	Model        *string         `json:"model"`
	SystemPrompt *string         `json:"system_prompt"`
	Temperature  optFloat        `json:"temperature"` // null clears it
	Options      json.RawMessage `json:"options"`
}

// optFloat tells an absent number from null.
type optFloat struct {
	Set   bool
	Value *float64
}

// UnmarshalJSON records that the field was present.
func (o *optFloat) UnmarshalJSON(b []byte) error {
	o.Set = true
	return json.Unmarshal(b, &o.Value)
}

// updatePersona answers PATCH /api/nyx/tenants/{tenant}/personas/{id} (member).
func (a *api) updatePersona(e *core.RequestEvent) error {
	var body updatePersonaBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	old, err := a.persona(e)
	if err != nil {
		return a.fail(e, err)
	}
	u, err := a.personaUpdate(e, body)
	if err != nil {
		return a.fail(e, err)
	}
	warnings, err := a.recheckModel(e, *old, &u)
	if err != nil {
		return a.fail(e, err)
	}
	p, err := a.Store.UpdatePersona(e.Request.Context(), tenantID(e), e.Request.PathValue("id"), u)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, p.TenantID, "persona.update", "persona", p.ID, map[string]any{"name": p.Name, "model": p.Model})
	v := viewPersona(p)
	v.Warnings = warnings
	return e.JSON(http.StatusOK, v)
}

// recheckModel checks the persona's model against its provider when the
// update changes either, and sets the name to store.
func (a *api) recheckModel(e *core.RequestEvent, old store.Persona, u *store.UpdatePersona) ([]warning, error) {
	if u.Model == nil && u.ProviderID == nil {
		return nil, nil
	}
	model, providerID := old.Model, old.ProviderID
	if u.Model != nil {
		model = *u.Model
	}
	if u.ProviderID != nil {
		providerID = *u.ProviderID
	}
	prov, err := a.personaProvider(e, providerID)
	if err != nil {
		return nil, err
	}
	name, warnings, err := a.checkPersonaModel(e.Request.Context(), prov, model)
	if err != nil {
		return nil, err
	}
	u.Model = &name
	return warnings, nil
}

func (a *api) personaUpdate(e *core.RequestEvent, b updatePersonaBody) (store.UpdatePersona, error) {
	var u store.UpdatePersona
	if b.Name != nil {
		name, err := validName("name", *b.Name)
		if err != nil {
			return u, err
		}
		u.Name = &name
	}
	if b.Model != nil {
		model, err := validModelName(*b.Model)
		if err != nil {
			return u, err
		}
		u.Model = &model
	}
	u.ProviderID = b.ProviderID // checked with the model, by recheckModel
	if b.Options != nil {
		opts, _, err := validOptions(b.Options)
		if err != nil {
			return u, err
		}
		u.Options = &opts
	}
	checks := []error{validTemperature(b.Temperature.Value)}
	if b.Avatar != nil {
		checks = append(checks, validAvatar(*b.Avatar))
	}
	if b.Color != nil {
		checks = append(checks, validColor(*b.Color))
	}
	if b.SystemPrompt != nil {
		checks = append(checks, validSystemPrompt(*b.SystemPrompt))
	}
	for _, err := range checks {
		if err != nil {
			return u, err
		}
	}
	u.Avatar, u.Color, u.SystemPrompt = b.Avatar, b.Color, b.SystemPrompt
	u.Temperature, u.ClearTemperature = b.Temperature.Value, b.Temperature.Set && b.Temperature.Value == nil
	return u, nil
}

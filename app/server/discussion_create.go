package server

import (
	"errors"
	"net/http"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type createDiscussionBody struct {
	Title              string   `json:"title"`
	Mode               string   `json:"mode"`
	PersonaIDs         []string `json:"persona_ids"`
	ModeratorPersonaID string   `json:"moderator_persona_id"`
	Consensus          *struct {
		MaxRounds *int     `json:"max_rounds"`
		Threshold *float64 `json:"threshold"`
	} `json:"consensus"`
}

// createDiscussion answers POST /api/nyx/tenants/{tenant}/discussions (member).
func (a *api) createDiscussion(e *core.RequestEvent) error {
	var body createDiscussionBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	d, err := a.newDiscussion(e, body)
	if err != nil {
		return a.fail(e, err)
	}
	created, err := a.Store.CreateDiscussion(e.Request.Context(), d)
	if err != nil {
		return a.fail(e, err)
	}
	return e.JSON(http.StatusCreated, a.viewDiscussion(created))
}

func (a *api) newDiscussion(e *core.RequestEvent, b createDiscussionBody) (store.Discussion, error) {
	d := store.Discussion{TenantID: tenantID(e), Mode: b.Mode, MaxRounds: 3, Threshold: 0.8, CreatedBy: e.Auth.Id}
	bad := func(field, msg string) error { return fieldError(http.StatusBadRequest, "invalid_field", field, msg) }
	var err error
	if d.Title, err = validTitle(b.Title); err != nil {
		return d, err
	}
	min := map[string]int{store.ModeSingle: 1, store.ModeParallel: 1, store.ModeConsensus: 2}[b.Mode]
	switch {
	case min == 0:
		return d, bad("mode", "The mode must be single, parallel or consensus.")
	case len(b.PersonaIDs) < min || len(b.PersonaIDs) > maxPersonasPerDiscussion:
		return d, bad("persona_ids", "Pick personas: one for single mode, one or more for parallel, two or more for consensus (at most 8).")
	case b.Mode == store.ModeSingle && len(b.PersonaIDs) != 1:
		return d, bad("persona_ids", "Single mode has exactly one persona.")
	}
	for i, id := range b.PersonaIDs {
		if slices.Contains(b.PersonaIDs[:i], id) {
			return d, bad("persona_ids", "Each persona can take part once.")
		}
		if err := a.personaExists(e, id); err != nil {
			return d, err
		}
	}
	d.PersonaIDs = b.PersonaIDs
	if b.ModeratorPersonaID != "" {
		if err := a.personaExists(e, b.ModeratorPersonaID); err != nil {
			return d, bad("moderator_persona_id", "No such persona in this tenant.")
		}
		d.ModeratorPersonaID = b.ModeratorPersonaID
	}
	if c := b.Consensus; c != nil {
		if c.MaxRounds != nil {
			if *c.MaxRounds < 1 || *c.MaxRounds > 10 {
				return d, bad("consensus.max_rounds", "Between 1 and 10 rounds.")
			}
			d.MaxRounds = *c.MaxRounds
		}
		if c.Threshold != nil {
			if *c.Threshold <= 0 || *c.Threshold > 1 {
				return d, bad("consensus.threshold", "The threshold is a number above 0 and at most 1.")
			}
			d.Threshold = *c.Threshold
		}
	}
	return d, nil
}

func (a *api) personaExists(e *core.RequestEvent, id string) error {
	_, err := a.Store.GetPersona(e.Request.Context(), tenantID(e), id)
	if errors.Is(err, store.ErrNotFound) {
		return fieldError(http.StatusBadRequest, "invalid_field", "persona_ids", "No such persona in this tenant.")
	}
	return err
}

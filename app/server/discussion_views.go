package server

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/store"
)

const (
	maxPersonasPerDiscussion = 8
	maxMessageBytes          = 32 << 10
)

var (
	errDiscussionNotFound = newError(http.StatusNotFound, "discussion_not_found", "No such discussion in this tenant.")
	errTurnRunning        = newError(http.StatusConflict, "turn_running", "The personas are still answering: wait or stop them first.")
	errBusy               = newError(http.StatusServiceUnavailable, "busy", "The server is running as many turns as it can; try again shortly.")
)

// discussionView is a discussion as the API shows it.
type discussionView struct {
	ID                 string          `json:"id"`
	Title              string          `json:"title"`
	Mode               string          `json:"mode"`
	PersonaIDs         []string        `json:"persona_ids"`
	ModeratorPersonaID string          `json:"moderator_persona_id"`
	Consensus          consensusConfig `json:"consensus"`
	CreatedBy          string          `json:"created_by"`
	RunningTurnID      string          `json:"running_turn_id"`
	CreatedAt          time.Time       `json:"created_at"`
	UpdatedAt          time.Time       `json:"updated_at"`
}

type consensusConfig struct {
	MaxRounds int     `json:"max_rounds"`
	Threshold float64 `json:"threshold"`
}

func (a *api) viewDiscussion(d *store.Discussion) discussionView {
	ids := d.PersonaIDs
	if ids == nil {
		ids = []string{}
	}
	return discussionView{ID: d.ID, Title: d.Title, Mode: d.Mode, PersonaIDs: ids, ModeratorPersonaID: d.ModeratorPersonaID,
		Consensus: consensusConfig{MaxRounds: d.MaxRounds, Threshold: d.Threshold}, CreatedBy: d.CreatedBy,
		RunningTurnID: a.Engine.Running(d.TenantID, d.ID), CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// discussion loads the {id} discussion of the request's tenant.
func (a *api) discussion(e *core.RequestEvent) (*store.Discussion, error) {
	d, err := a.Store.GetDiscussion(e.Request.Context(), tenantID(e), e.Request.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errDiscussionNotFound
	}
	return d, err
}

func validTitle(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "Untitled discussion", nil
	}
	if utf8.RuneCountInString(s) > 200 {
		return "", fieldError(http.StatusBadRequest, "invalid_field", "title", "The title must be at most 200 characters.")
	}
	return s, nil
}

func validContent(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", fieldError(http.StatusBadRequest, "invalid_field", "content", "Write a message.")
	}
	if len(s) > maxMessageBytes {
		return "", fieldError(http.StatusRequestEntityTooLarge, "message_too_long", "content", "Messages are limited to 32 KiB.")
	}
	return s, nil
}

// turnError maps engine refusals.
func turnError(err error) error {
	switch {
	case errors.Is(err, discuss.ErrTurnRunning):
		return errTurnRunning
	case errors.Is(err, discuss.ErrBusy), errors.Is(err, discuss.ErrShuttingDown):
		return errBusy
	}
	return err
}

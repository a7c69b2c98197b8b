package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/llm"
	"github.com/nyxcore/nyxcore/app/store"
)

// personaView is a persona as the API shows it.
type personaView struct {
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Avatar       string          `json:"avatar"`
	Color        string          `json:"color"`
	ProviderID   string          `json:"provider_id"`
	Model        string          `json:"model"`
	SystemPrompt string          `json:"system_prompt"`
	Temperature  *float64        `json:"temperature"`
	Options      json.RawMessage `json:"options"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	// Warnings (create and update only) say what was saved unchecked.
	Warnings []warning `json:"warnings,omitempty"`
}

func viewPersona(p *store.Persona) personaView {
	opts := p.Options
	if len(opts) == 0 {
		opts = json.RawMessage("{}")
	}
	return personaView{ID: p.ID, Name: p.Name, Avatar: p.Avatar, Color: p.Color, ProviderID: p.ProviderID, Model: p.Model,
		SystemPrompt: p.SystemPrompt, Temperature: p.Temperature, Options: opts, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

const maxSystemPrompt = 32 << 10

func validColor(s string) error {
	if s != "" && !colorRe.MatchString(s) {
		return fieldError(http.StatusBadRequest, "invalid_field", "color", "Colours are #rrggbb.")
	}
	return nil
}

func validAvatar(s string) error {
	if utf8.RuneCountInString(s) > 256 {
		return fieldError(http.StatusBadRequest, "invalid_field", "avatar", "The avatar must be at most 256 characters (an emoji or an image URL).")
	}
	return nil
}

func validSystemPrompt(s string) error {
	if len(s) > maxSystemPrompt {
		return fieldError(http.StatusBadRequest, "invalid_field", "system_prompt", "The system prompt must be at most 32 KiB.")
	}
	return nil
}

func validTemperature(t *float64) error {
	if t != nil && (*t < 0 || *t > 2) {
		return fieldError(http.StatusBadRequest, "invalid_field", "temperature", "The temperature must be between 0 and 2.")
	}
	return nil
}

func validModelName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 200 {
		return "", fieldError(http.StatusBadRequest, "invalid_field", "model", "Pick a model.")
	}
	return s, nil
}

// validOptions checks that options is a JSON object of known llm options
// and returns it re-encoded canonically.
func validOptions(raw json.RawMessage) (json.RawMessage, llm.Options, error) {
	var o llm.Options
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return json.RawMessage("{}"), o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	bad := func(msg string) error { return fieldError(http.StatusBadRequest, "invalid_field", "options", msg) }
	if err := checkKeys(raw, reflect.TypeOf(&o)); err != nil { // the body's walk saw options as opaque
		return nil, o, bad("Options: " + err.Message)
	}
	if err := dec.Decode(&o); err != nil {
		return nil, o, bad("Options are an object of top_p, top_k, seed, max_tokens, stop and num_ctx: " + err.Error())
	}
	switch {
	case o.TopP != nil && (*o.TopP < 0 || *o.TopP > 1):
		return nil, o, bad("top_p must be between 0 and 1.")
	case o.TopK != nil && *o.TopK < 0, o.MaxTokens < 0, o.NumCtx < 0:
		return nil, o, bad("top_k, max_tokens and num_ctx must not be negative.")
	case o.Temperature != nil:
		return nil, o, bad("Set temperature as the persona's own field.")
	case len(o.Stop) > 8:
		return nil, o, bad("At most 8 stop sequences.")
	}
	b, _ := json.Marshal(o) // re-encoding drops nothing we accepted
	return b, o, nil
}

// personaProvider returns the persona's provider, which must exist in the
// tenant (the built-in one included).
func (a *api) personaProvider(e *core.RequestEvent, id string) (store.Provider, error) {
	p, err := a.provider(e, id)
	if errors.Is(err, errProviderNotFound) {
		return p, fieldError(http.StatusBadRequest, "invalid_field", "provider_id", "No such provider in this tenant.")
	}
	return p, err
}

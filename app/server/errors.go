package server

import (
	"errors"
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// apiError is the JSON error body: a stable code clients branch on, a
// message for people, optional data (e.g. per-field problems).
type apiError struct {
	Status  int            `json:"-"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// fieldError reports one invalid field as a 400 (or 409 for conflicts).
func fieldError(status int, code, field, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message, Data: map[string]any{"field": field}}
}

var (
	errAuthRequired     = newError(http.StatusUnauthorized, "auth_required", "Sign in: the request has no valid, unexpired user token.")
	errUserRequired     = newError(http.StatusForbidden, "user_required", "This API acts for a user; superuser tokens manage the server in the admin console.")
	errTenantNotFound   = newError(http.StatusNotFound, "tenant_not_found", "No such tenant, or you are not a member of it.")
	errNoTenant         = newError(http.StatusBadRequest, "tenant_required", "Name a tenant in the path, the host or the X-Nyx-Tenant header.")
	errForbidden        = newError(http.StatusForbidden, "forbidden", "Your role in this tenant does not allow this.")
	errNotFound         = newError(http.StatusNotFound, "not_found", "No such API endpoint.")
	errMemberNotFound   = newError(http.StatusNotFound, "member_not_found", "That user is not a member of this tenant.")
	errLastOwner        = newError(http.StatusConflict, "last_owner", "A tenant needs at least one owner: make someone else owner first.")
	errAlreadyMember    = fieldError(http.StatusConflict, "already_member", "email", "That user is already a member.")
	errSlugTaken        = fieldError(http.StatusConflict, "slug_taken", "slug", "Another tenant already uses that slug.")
	errSlugHeld         = fieldError(http.StatusConflict, "slug_held", "slug", "That slug was given up by another tenant recently and is held for it; choose another.")
	errDomainTaken      = fieldError(http.StatusConflict, "domain_taken", "custom_domain", "Another tenant already uses that domain.")
	errGrantOwner       = fieldError(http.StatusForbidden, "cannot_grant_owner", "role", "Only owners can make someone an owner.")
	errUnavailable      = newError(http.StatusServiceUnavailable, "unavailable", "The data store is unavailable; try again shortly.")
	errProviderNotFound = newError(http.StatusNotFound, "provider_not_found", "No such provider in this tenant.")
	errPersonaNotFound  = newError(http.StatusNotFound, "persona_not_found", "No such persona in this tenant.")
	errProviderInUse    = newError(http.StatusConflict, "provider_in_use", "Personas still use this provider: point them elsewhere first.")
	errNameTaken        = fieldError(http.StatusConflict, "name_taken", "name", "Another one in this tenant already has that name.")
	errBuiltin          = newError(http.StatusBadRequest, "builtin_provider", "The built-in local Ollama is part of the server; configure it with NYX_OLLAMA_HOST.")
)

// fail writes err as the JSON error body; unknown errors become a logged
// 500 (or 503 for a dead store) whose message reveals nothing internal.
func (a *api) fail(e *core.RequestEvent, err error) error {
	var ae *apiError
	if !errors.As(err, &ae) {
		if ae = llmError(err); ae == nil {
			ae = a.mapError(e, err)
		}
	}
	return e.JSON(ae.Status, ae)
}

func (a *api) mapError(e *core.RequestEvent, err error) *apiError {
	switch {
	case errors.Is(err, store.ErrSlugTaken):
		return errSlugTaken
	case errors.Is(err, store.ErrSlugHeld):
		return errSlugHeld
	case errors.Is(err, store.ErrDomainTaken):
		return errDomainTaken
	case errors.Is(err, store.ErrAlreadyMember):
		return errAlreadyMember
	case errors.Is(err, store.ErrLastOwner):
		return errLastOwner
	case errors.Is(err, budget.ErrExceeded):
		return newError(http.StatusTooManyRequests, "budget_exceeded", "Token budget spent: "+err.Error()+". Ask the owner or wait for the next day or month.")
	case errors.Is(err, store.ErrNameTaken):
		return errNameTaken
	case errors.Is(err, store.ErrInUse):
		return errProviderInUse
	case errors.Is(err, tenant.ErrUnknownTenant):
		return errTenantNotFound
	case errors.Is(err, tenant.ErrNoTenant):
		return errNoTenant
	case errors.Is(err, tenant.ErrCannotGrantOwner):
		return errGrantOwner
	case errors.Is(err, tenant.ErrForbidden):
		return errForbidden
	case errors.Is(err, store.ErrTimeout):
		return storeTimeout(e, err)
	case errors.Is(err, e.Request.Context().Err()) && e.Request.Context().Err() != nil:
		return newError(499, "cancelled", "The request was cancelled.")
	}
	e.App.Logger().Error("nyx api", "path", e.Request.URL.Path, "error", err.Error())
	if errors.Is(err, store.ErrSchema) {
		return errUnavailable
	}
	return newError(http.StatusInternalServerError, "internal", "Something went wrong on the server; it has been logged.")
}

func notFound(e *core.RequestEvent) error { return e.JSON(errNotFound.Status, errNotFound) }

package server

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

type addMemberBody struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// addMember answers POST /api/nyx/tenants/{tenant}/members: adds an
// existing user by email (owner or admin; only owners add owners).
func (a *api) addMember(e *core.RequestEvent) error {
	var body addMemberBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	email := strings.TrimSpace(body.Email)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return a.fail(e, fieldError(http.StatusBadRequest, "invalid_email", "email", "Enter an email address such as ada@example.com."))
	}
	to, err := validRole(body.Role)
	if err != nil {
		return a.fail(e, err)
	}
	if err := tenant.CanChangeRole(role(e), "", to); err != nil {
		return a.fail(e, err)
	}
	ctx := e.Request.Context()
	u, err := a.Store.FindUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return a.fail(e, errUserNotFound)
	}
	if err != nil {
		return a.fail(e, err)
	}
	m, err := a.Store.AddMember(ctx, tenantID(e), u.ID, string(to))
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "member.add", "user", m.UserID, map[string]any{"email": m.Email, "role": m.Role})
	return e.JSON(http.StatusCreated, viewMember(m))
}

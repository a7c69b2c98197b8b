package server

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

type addMemberBody struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// invitedView is the answer to an invitation: the same fields whether or
// not the address has an account, so it tells the inviter nothing about
// who is signed up. Token is the invitation's secret, shown this once.
type invitedView struct {
	Invited   bool      `json:"invited"`
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at"`
	Token     string    `json:"token"`
	AcceptURL string    `json:"accept_url"`
}

// addMember answers POST /api/nyx/tenants/{tenant}/members (owner or admin;
// only owners invite owners). It no longer adds anyone: it invites the
// address, and the person joins when they accept. 202 whether or not the
// address has an account; 409 already_member only for current members,
// whom admins can list anyway.
func (a *api) addMember(e *core.RequestEvent) error {
	var body addMemberBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	email := strings.TrimSpace(body.Email)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return a.fail(e, fieldError(http.StatusBadRequest, "invalid_email", "email", "Enter an email address such as ada@example.com."))
	}
	email = strings.ToLower(email)
	to, err := validRole(body.Role)
	if err != nil {
		return a.fail(e, err)
	}
	if err := tenant.CanChangeRole(role(e), "", to); err != nil {
		return a.fail(e, err)
	}
	if err := a.refuseMember(e, email); err != nil {
		return a.fail(e, err)
	}
	token, hash, err := newInvitationToken()
	if err != nil {
		return a.fail(e, err)
	}
	now := time.Now().UTC()
	inv, err := a.Store.UpsertInvitation(e.Request.Context(), store.Invitation{TenantID: tenantID(e), Email: email, Role: string(to),
		InvitedBy: e.Auth.Id, CreatedAt: now, ExpiresAt: now.Add(invitationTTL)}, hash)
	if err != nil {
		return a.fail(e, err)
	}
	a.record(e, tenantID(e), "invitation.create", "invitation", inv.ID, map[string]any{"email": inv.Email, "role": inv.Role})
	return e.JSON(http.StatusAccepted, invitedView{Invited: true, ID: inv.ID, Email: inv.Email, Role: inv.Role,
		ExpiresAt: inv.ExpiresAt, Token: token, AcceptURL: "/invite#token=" + token})
}

// refuseMember fails with already_member when email belongs to a member.
func (a *api) refuseMember(e *core.RequestEvent, email string) error {
	ctx := e.Request.Context()
	u, err := a.Store.FindUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = a.Store.GetMember(ctx, tenantID(e), u.ID)
	switch {
	case err == nil:
		return errAlreadyMember
	case errors.Is(err, store.ErrNotFound):
		return nil
	}
	return err
}

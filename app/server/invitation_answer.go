package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store"
)

type tokenBody struct {
	Token string `json:"token"`
}

// acceptInvitation answers POST /api/nyx/invitations/{id}/accept.
func (a *api) acceptInvitation(e *core.RequestEvent) error { return a.answerByID(e, true) }

// declineInvitation answers POST /api/nyx/invitations/{id}/decline.
func (a *api) declineInvitation(e *core.RequestEvent) error { return a.answerByID(e, false) }

// acceptInvitationToken answers POST /api/nyx/invitations/accept {token}.
func (a *api) acceptInvitationToken(e *core.RequestEvent) error { return a.answerByToken(e, true) }

// declineInvitationToken answers POST /api/nyx/invitations/decline {token}.
func (a *api) declineInvitationToken(e *core.RequestEvent) error { return a.answerByToken(e, false) }

// answerByID answers an invitation addressed to the caller's email. The
// address must be verified: otherwise whoever signed up with it first
// (where sign-up does not verify addresses) could join in its owner's stead.
func (a *api) answerByID(e *core.RequestEvent, accept bool) error {
	if !e.Auth.Verified() {
		return a.fail(e, errEmailNotVerified)
	}
	return a.answer(e, store.InvitationAnswer{ID: e.Request.PathValue("id"), Email: e.Auth.Email(), Accept: accept})
}

// answerByToken answers with the invitation's secret, whatever the
// caller's address: holding the link is the proof, as with any invite link,
// so people without a verified address (or with another one) can join.
func (a *api) answerByToken(e *core.RequestEvent, accept bool) error {
	var body tokenBody
	if err := a.decode(e, &body); err != nil {
		return a.fail(e, err)
	}
	token := strings.TrimSpace(body.Token)
	if !validInvitationToken(token) {
		return a.fail(e, errInvalidToken)
	}
	return a.answer(e, store.InvitationAnswer{TokenHash: hashInvitationToken(token), Accept: accept})
}

// answer stamps the answer (adding the membership on accept) and records
// it in the inviting tenant's audit log.
func (a *api) answer(e *core.RequestEvent, ans store.InvitationAnswer) error {
	if err := a.ensureMirror(e); err != nil {
		return a.fail(e, err)
	}
	ans.UserID, ans.At = e.Auth.Id, time.Now().UTC()
	inv, err := a.Store.AnswerInvitation(e.Request.Context(), ans)
	if err != nil {
		return a.fail(e, invitationError(err))
	}
	action := "invitation.decline"
	if ans.Accept {
		action = "invitation.accept"
	}
	a.record(e, inv.TenantID, action, "invitation", inv.ID,
		map[string]any{"email": inv.Email, "role": inv.Role, "user_id": e.Auth.Id, "user_email": e.Auth.Email()})
	return e.JSON(http.StatusOK, viewMyInvitation(inv))
}

package server

import (
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// myInvitations answers GET /api/nyx/invitations: open invitations
// addressed to the signed-in user's email, across tenants, only once that
// address is verified. Anyone can sign up with someone else's address
// where sign-up does not verify it; such an account must not learn who
// invited the real owner, so it gets an empty list and email_verified false.
func (a *api) myInvitations(e *core.RequestEvent) error {
	out := struct {
		Items         []myInvitationView `json:"items"`
		EmailVerified bool               `json:"email_verified"`
	}{Items: []myInvitationView{}, EmailVerified: e.Auth.Verified()}
	if !out.EmailVerified {
		return e.JSON(http.StatusOK, out)
	}
	invs, err := a.Store.ListInvitationsForEmail(e.Request.Context(), e.Auth.Email(), time.Now())
	if err != nil {
		return a.fail(e, err)
	}
	for i := range invs {
		out.Items = append(out.Items, viewMyInvitation(&invs[i]))
	}
	return e.JSON(http.StatusOK, out)
}

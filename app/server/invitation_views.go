package server

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// invitationTTL is how long an invitation can be accepted. Inviting the
// same address again refreshes it (new secret, new expiry).
const invitationTTL = 7 * 24 * time.Hour

var (
	errInvitationNotFound = newError(http.StatusNotFound, "invitation_not_found", "No such open invitation for you.")
	errInvitationExpired  = newError(http.StatusGone, "invitation_expired", "This invitation has expired; ask for a new one.")
	errInvitationRevoked  = newError(http.StatusGone, "invitation_revoked", "This invitation was withdrawn by the tenant.")
	errInvitationUsed     = newError(http.StatusConflict, "invitation_used", "This invitation has already been answered.")
	errEmailNotVerified   = newError(http.StatusForbidden, "email_not_verified",
		"Verify your email address to answer invitations sent to it, or open the invitation link you were given.")
	errInvalidToken = fieldError(http.StatusBadRequest, "invalid_token", "token", "Paste the whole invitation link or token.")
)

// invitationError maps the store's answer refusals to stable codes.
func invitationError(err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return errInvitationNotFound
	case errors.Is(err, store.ErrInvitationExpired):
		return errInvitationExpired
	case errors.Is(err, store.ErrInvitationRevoked):
		return errInvitationRevoked
	case errors.Is(err, store.ErrInvitationUsed):
		return errInvitationUsed
	}
	return err
}

// invitationView is what tenant admins see of an invitation (never the
// token hash; the secret itself only once, when it is issued).
type invitationView struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	InvitedBy string    `json:"invited_by"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Expired   bool      `json:"expired"`
}

func viewInvitation(i *store.Invitation, now time.Time) invitationView {
	return invitationView{ID: i.ID, Email: i.Email, Role: i.Role, InvitedBy: i.InvitedBy,
		CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt, Expired: !now.Before(i.ExpiresAt)}
}

// myInvitationView is what the invitee sees: who asks, for which role.
type myInvitationView struct {
	ID        string     `json:"id"`
	Tenant    tenantRef  `json:"tenant"`
	Role      string     `json:"role"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	Accepted  *time.Time `json:"accepted_at,omitempty"`
	Declined  *time.Time `json:"declined_at,omitempty"`
}

type tenantRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

func viewMyInvitation(i *store.Invitation) myInvitationView {
	return myInvitationView{ID: i.ID, Tenant: tenantRef{ID: i.TenantID, Slug: i.TenantSlug, Name: i.TenantName}, Role: i.Role,
		CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt, Accepted: i.AcceptedAt, Declined: i.DeclinedAt}
}

// newInvitationToken returns a 256-bit secret (base64url) and the SHA-256
// hex the store keeps: a leaked database does not leak usable links.
func newInvitationToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashInvitationToken(token), nil
}

func hashInvitationToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validInvitationToken accepts exactly the shape newInvitationToken makes.
func validInvitationToken(token string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	return err == nil && len(b) == 32
}

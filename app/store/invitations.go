package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Errors an invitation answer can meet (wrapped, for errors.Is).
var (
	// ErrInvitationExpired means the invitation's expiry has passed.
	ErrInvitationExpired = errors.New("invitation expired")
	// ErrInvitationRevoked means an admin of the tenant revoked it.
	ErrInvitationRevoked = errors.New("invitation revoked")
	// ErrInvitationUsed means the invitation was already accepted or declined.
	ErrInvitationUsed = errors.New("invitation already answered")
)

// Invitation asks the owner of an email address to join a tenant with a
// role. Nothing about the tenant changes until it is accepted.
type Invitation struct {
	ID        string
	TenantID  string
	Email     string // lower case
	Role      string
	InvitedBy string // user id of the admin who (last) sent it
	CreatedAt time.Time
	ExpiresAt time.Time
	// AcceptedAt and AcceptedBy (a user id) are set once it is accepted.
	AcceptedAt *time.Time
	AcceptedBy string
	DeclinedAt *time.Time
	RevokedAt  *time.Time
	// TenantSlug and TenantName are filled on the invitee's listings, so
	// they can tell who is inviting them.
	TenantSlug string
	TenantName string
}

// Open reports whether the invitation still awaits an answer (it may have
// expired all the same).
func (i Invitation) Open() bool {
	return i.AcceptedAt == nil && i.DeclinedAt == nil && i.RevokedAt == nil
}

// InvitationAnswer is the invitee's answer. Exactly one way to find the
// invitation is set: ID with Email (an invitation addressed to the
// caller's verified address) or TokenHash (the SHA-256 hex of the
// invitation's secret, whoever holds it).
type InvitationAnswer struct {
	ID        string
	Email     string
	TokenHash string
	// UserID is the account answering; on accept it becomes the member.
	UserID string
	Accept bool
	At     time.Time
}

// InvitationStore holds invitations. Tenant-side methods take the tenant id
// first and see only that tenant's rows; the invitee-side ones see only
// rows addressed to the email or matching the token hash they are given.
type InvitationStore interface {
	// UpsertInvitation creates inv (ID, TenantID, Email, Role, InvitedBy,
	// CreatedAt, ExpiresAt) with tokenHash, or, when the tenant already has
	// an open invitation for inv.Email, refreshes that one (role, inviter,
	// token, times) and keeps its id: one open invitation per address. It
	// fails with ErrNotFound when the tenant does not exist.
	UpsertInvitation(ctx context.Context, inv Invitation, tokenHash string) (*Invitation, error)
	// ListInvitations returns the tenant's open invitations, newest first,
	// expired ones included.
	ListInvitations(ctx context.Context, tenantID string) ([]Invitation, error)
	// RevokeInvitation revokes one open invitation of the tenant and returns
	// it; an unknown, answered or revoked one yields ErrNotFound.
	RevokeInvitation(ctx context.Context, tenantID, id string, at time.Time) (*Invitation, error)
	// ListInvitationsForEmail returns open, unexpired invitations addressed
	// to email (any tenant), with tenant slug and name. The caller must have
	// checked that the signed-in user controls (verified) email.
	ListInvitationsForEmail(ctx context.Context, email string, now time.Time) ([]Invitation, error)
	// AnswerInvitation accepts or declines, atomically: accepting adds
	// the membership with the invited role. Not found (or addressed to
	// someone else) is ErrNotFound; then ErrInvitationRevoked,
	// ErrInvitationUsed, ErrInvitationExpired, and ErrAlreadyMember when
	// the account already belongs to the tenant (the invitation stays open).
	AnswerInvitation(ctx context.Context, answer InvitationAnswer) (*Invitation, error)
}

// AccountEvent is one entry of a user's own account history: sign-ins,
// failed sign-ins and other events about the account. It belongs to the
// user, not to any tenant.
type AccountEvent struct {
	ID        string
	UserID    string
	At        time.Time
	Action    string // e.g. auth.signin, auth.signin_failed
	IP        string
	UserAgent string
	Details   json.RawMessage
}

// AccountStore holds account histories. Every method is confined to the
// user id it is given.
type AccountStore interface {
	// AppendAccountEvent records ev (the driver fills an empty ID and a zero At).
	AppendAccountEvent(ctx context.Context, ev AccountEvent) error
	// ListAccountEvents returns userID's newest events first, at most limit.
	ListAccountEvents(ctx context.Context, userID string, limit int) ([]AccountEvent, error)
}

// CheckAnswerable reports why inv cannot be answered at now, or nil. Both
// drivers call it on the locked row, so the rule lives once.
func CheckAnswerable(inv *Invitation, now time.Time) error {
	switch {
	case inv.RevokedAt != nil:
		return ErrInvitationRevoked
	case inv.AcceptedAt != nil || inv.DeclinedAt != nil:
		return ErrInvitationUsed
	case !now.Before(inv.ExpiresAt):
		return ErrInvitationExpired
	}
	return nil
}

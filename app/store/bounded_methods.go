package store

// Each method bounds one call of the wrapped store; see WithTimeout.

import (
	"context"
	"time"
)

func (b *bounded) AddMember(ctx context.Context, tenantID string, userID string, role string) (*Member, error) {
	return call(b, ctx, func(ctx context.Context) (*Member, error) { return b.Store.AddMember(ctx, tenantID, userID, role) })
}

func (b *bounded) AddMessage(ctx context.Context, m Message) (*Message, error) {
	return call(b, ctx, func(ctx context.Context) (*Message, error) { return b.Store.AddMessage(ctx, m) })
}

func (b *bounded) AddRound(ctx context.Context, r Round) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.AddRound(ctx, r) })
}

func (b *bounded) AddSecretKey(ctx context.Context, k SecretKey) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.AddSecretKey(ctx, k) })
}

func (b *bounded) AddUsage(ctx context.Context, tenantID string, userID string, day string, tokens int64) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.AddUsage(ctx, tenantID, userID, day, tokens) })
}

func (b *bounded) AnswerInvitation(ctx context.Context, answer InvitationAnswer) (*Invitation, error) {
	return call(b, ctx, func(ctx context.Context) (*Invitation, error) { return b.Store.AnswerInvitation(ctx, answer) })
}

func (b *bounded) AppendAccountEvent(ctx context.Context, ev AccountEvent) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.AppendAccountEvent(ctx, ev) })
}

func (b *bounded) AppendAudit(ctx context.Context, e AuditEntry, seal func(*AuditEntry) string) (*AuditEntry, error) {
	return call(b, ctx, func(ctx context.Context) (*AuditEntry, error) { return b.Store.AppendAudit(ctx, e, seal) })
}

func (b *bounded) AuditTenantIDs(ctx context.Context) ([]string, error) {
	return call(b, ctx, func(ctx context.Context) ([]string, error) { return b.Store.AuditTenantIDs(ctx) })
}

func (b *bounded) CreateDiscussion(ctx context.Context, d Discussion) (*Discussion, error) {
	return call(b, ctx, func(ctx context.Context) (*Discussion, error) { return b.Store.CreateDiscussion(ctx, d) })
}

func (b *bounded) CreatePersona(ctx context.Context, p Persona) (*Persona, error) {
	return call(b, ctx, func(ctx context.Context) (*Persona, error) { return b.Store.CreatePersona(ctx, p) })
}

func (b *bounded) CreateProvider(ctx context.Context, p Provider) (*Provider, error) {
	return call(b, ctx, func(ctx context.Context) (*Provider, error) { return b.Store.CreateProvider(ctx, p) })
}

func (b *bounded) CreateTenant(ctx context.Context, slug string, name string, ownerID string) (*Tenant, error) {
	return call(b, ctx, func(ctx context.Context) (*Tenant, error) { return b.Store.CreateTenant(ctx, slug, name, ownerID) })
}

func (b *bounded) DeleteDiscussion(ctx context.Context, tenantID string, id string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.DeleteDiscussion(ctx, tenantID, id) })
}

func (b *bounded) DeletePersona(ctx context.Context, tenantID string, id string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.DeletePersona(ctx, tenantID, id) })
}

func (b *bounded) DeleteProvider(ctx context.Context, tenantID string, id string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.DeleteProvider(ctx, tenantID, id) })
}

func (b *bounded) DeleteTenant(ctx context.Context, tenantID string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.DeleteTenant(ctx, tenantID) })
}

func (b *bounded) DeleteUser(ctx context.Context, userID string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.DeleteUser(ctx, userID) })
}

func (b *bounded) FindUserByEmail(ctx context.Context, email string) (*User, error) {
	return call(b, ctx, func(ctx context.Context) (*User, error) { return b.Store.FindUserByEmail(ctx, email) })
}

func (b *bounded) GetBudget(ctx context.Context, tenantID string) (*Budget, error) {
	return call(b, ctx, func(ctx context.Context) (*Budget, error) { return b.Store.GetBudget(ctx, tenantID) })
}

func (b *bounded) GetDiscussion(ctx context.Context, tenantID string, id string) (*Discussion, error) {
	return call(b, ctx, func(ctx context.Context) (*Discussion, error) { return b.Store.GetDiscussion(ctx, tenantID, id) })
}

func (b *bounded) GetMember(ctx context.Context, tenantID string, userID string) (*Member, error) {
	return call(b, ctx, func(ctx context.Context) (*Member, error) { return b.Store.GetMember(ctx, tenantID, userID) })
}

func (b *bounded) GetPersona(ctx context.Context, tenantID string, id string) (*Persona, error) {
	return call(b, ctx, func(ctx context.Context) (*Persona, error) { return b.Store.GetPersona(ctx, tenantID, id) })
}

func (b *bounded) GetProvider(ctx context.Context, tenantID string, id string) (*Provider, error) {
	return call(b, ctx, func(ctx context.Context) (*Provider, error) { return b.Store.GetProvider(ctx, tenantID, id) })
}

func (b *bounded) GetTenant(ctx context.Context, tenantID string) (*Tenant, error) {
	return call(b, ctx, func(ctx context.Context) (*Tenant, error) { return b.Store.GetTenant(ctx, tenantID) })
}

func (b *bounded) GetUser(ctx context.Context, userID string) (*User, error) {
	return call(b, ctx, func(ctx context.Context) (*User, error) { return b.Store.GetUser(ctx, userID) })
}

func (b *bounded) InterruptStreaming(ctx context.Context, tenantID string) (int, error) {
	return call(b, ctx, func(ctx context.Context) (int, error) { return b.Store.InterruptStreaming(ctx, tenantID) })
}

func (b *bounded) ListAccountEvents(ctx context.Context, userID string, limit int) ([]AccountEvent, error) {
	return call(b, ctx, func(ctx context.Context) ([]AccountEvent, error) {
		return b.Store.ListAccountEvents(ctx, userID, limit)
	})
}

func (b *bounded) ListAudit(ctx context.Context, tenantID string, f FindAudit) ([]AuditEntry, error) {
	return call(b, ctx, func(ctx context.Context) ([]AuditEntry, error) { return b.Store.ListAudit(ctx, tenantID, f) })
}

func (b *bounded) ListDiscussions(ctx context.Context, tenantID string, query string, limit int) ([]Discussion, error) {
	return call(b, ctx, func(ctx context.Context) ([]Discussion, error) {
		return b.Store.ListDiscussions(ctx, tenantID, query, limit)
	})
}

func (b *bounded) ListInvitations(ctx context.Context, tenantID string) ([]Invitation, error) {
	return call(b, ctx, func(ctx context.Context) ([]Invitation, error) { return b.Store.ListInvitations(ctx, tenantID) })
}

func (b *bounded) ListInvitationsForEmail(ctx context.Context, email string, now time.Time) ([]Invitation, error) {
	return call(b, ctx, func(ctx context.Context) ([]Invitation, error) {
		return b.Store.ListInvitationsForEmail(ctx, email, now)
	})
}

func (b *bounded) ListMembers(ctx context.Context, tenantID string) ([]Member, error) {
	return call(b, ctx, func(ctx context.Context) ([]Member, error) { return b.Store.ListMembers(ctx, tenantID) })
}

func (b *bounded) ListMemberships(ctx context.Context, userID string) ([]Membership, error) {
	return call(b, ctx, func(ctx context.Context) ([]Membership, error) { return b.Store.ListMemberships(ctx, userID) })
}

func (b *bounded) ListMessages(ctx context.Context, tenantID string, discussionID string, after int64, limit int) ([]Message, error) {
	return call(b, ctx, func(ctx context.Context) ([]Message, error) {
		return b.Store.ListMessages(ctx, tenantID, discussionID, after, limit)
	})
}

func (b *bounded) ListPersonas(ctx context.Context, tenantID string) ([]Persona, error) {
	return call(b, ctx, func(ctx context.Context) ([]Persona, error) { return b.Store.ListPersonas(ctx, tenantID) })
}

func (b *bounded) ListProviders(ctx context.Context, tenantID string) ([]Provider, error) {
	return call(b, ctx, func(ctx context.Context) ([]Provider, error) { return b.Store.ListProviders(ctx, tenantID) })
}

func (b *bounded) ListRounds(ctx context.Context, tenantID string, discussionID string) ([]Round, error) {
	return call(b, ctx, func(ctx context.Context) ([]Round, error) { return b.Store.ListRounds(ctx, tenantID, discussionID) })
}

func (b *bounded) ListUserIDs(ctx context.Context) ([]string, error) {
	return call(b, ctx, func(ctx context.Context) ([]string, error) { return b.Store.ListUserIDs(ctx) })
}

func (b *bounded) MarkDomainVerified(ctx context.Context, tenantID string, domain string, at time.Time) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.MarkDomainVerified(ctx, tenantID, domain, at) })
}

func (b *bounded) OwnedSoleTenants(ctx context.Context, userID string) ([]string, error) {
	return call(b, ctx, func(ctx context.Context) ([]string, error) { return b.Store.OwnedSoleTenants(ctx, userID) })
}

func (b *bounded) RemoveMember(ctx context.Context, tenantID string, userID string) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.RemoveMember(ctx, tenantID, userID) })
}

func (b *bounded) RenameDiscussion(ctx context.Context, tenantID string, id string, title string) (*Discussion, error) {
	return call(b, ctx, func(ctx context.Context) (*Discussion, error) {
		return b.Store.RenameDiscussion(ctx, tenantID, id, title)
	})
}

func (b *bounded) ResolveTenant(ctx context.Context, find FindTenant) (string, error) {
	return call(b, ctx, func(ctx context.Context) (string, error) { return b.Store.ResolveTenant(ctx, find) })
}

func (b *bounded) RevokeInvitation(ctx context.Context, tenantID string, id string, at time.Time) (*Invitation, error) {
	return call(b, ctx, func(ctx context.Context) (*Invitation, error) { return b.Store.RevokeInvitation(ctx, tenantID, id, at) })
}

func (b *bounded) SecretKeys(ctx context.Context) ([]SecretKey, error) {
	return call(b, ctx, func(ctx context.Context) ([]SecretKey, error) { return b.Store.SecretKeys(ctx) })
}

func (b *bounded) SetBudget(ctx context.Context, b_ Budget) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.SetBudget(ctx, b_) })
}

func (b *bounded) SumUsage(ctx context.Context, tenantID string, userID string, day string) (Usage, error) {
	return call(b, ctx, func(ctx context.Context) (Usage, error) { return b.Store.SumUsage(ctx, tenantID, userID, day) })
}

func (b *bounded) TenantIDs(ctx context.Context) ([]string, error) {
	return call(b, ctx, func(ctx context.Context) ([]string, error) { return b.Store.TenantIDs(ctx) })
}

func (b *bounded) UpdateMemberRole(ctx context.Context, tenantID string, userID string, role string) (*Member, error) {
	return call(b, ctx, func(ctx context.Context) (*Member, error) {
		return b.Store.UpdateMemberRole(ctx, tenantID, userID, role)
	})
}

func (b *bounded) UpdateMessage(ctx context.Context, tenantID string, id string, u MessageUpdate) (*Message, error) {
	return call(b, ctx, func(ctx context.Context) (*Message, error) { return b.Store.UpdateMessage(ctx, tenantID, id, u) })
}

func (b *bounded) UpdatePersona(ctx context.Context, tenantID string, id string, u UpdatePersona) (*Persona, error) {
	return call(b, ctx, func(ctx context.Context) (*Persona, error) { return b.Store.UpdatePersona(ctx, tenantID, id, u) })
}

func (b *bounded) UpdateProvider(ctx context.Context, tenantID string, id string, u UpdateProvider) (*Provider, error) {
	return call(b, ctx, func(ctx context.Context) (*Provider, error) { return b.Store.UpdateProvider(ctx, tenantID, id, u) })
}

func (b *bounded) UpdateTenant(ctx context.Context, tenantID string, update UpdateTenant) (*Tenant, error) {
	return call(b, ctx, func(ctx context.Context) (*Tenant, error) { return b.Store.UpdateTenant(ctx, tenantID, update) })
}

func (b *bounded) UpsertInvitation(ctx context.Context, inv Invitation, tokenHash string) (*Invitation, error) {
	return call(b, ctx, func(ctx context.Context) (*Invitation, error) { return b.Store.UpsertInvitation(ctx, inv, tokenHash) })
}

func (b *bounded) UpsertUser(ctx context.Context, user User) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.UpsertUser(ctx, user) })
}

var _ Store = (*bounded)(nil)

func (b *bounded) Ping(ctx context.Context) error {
	return callErr(b, ctx, func(ctx context.Context) error { return b.Store.Ping(ctx) })
}

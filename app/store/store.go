// Package store is the data plane of nyxCore: tenants, the users mirror and
// memberships today, everything tenant-owned later. It defines one interface
// and the types it speaks; drivers live in store/postgres (row-level security
// underneath every tenant-scoped statement) and store/sqlite (a tenant filter
// in every statement). store/storetest holds the suite both must pass.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
)

// Errors every driver returns (wrapped) so callers can map them with errors.Is.
var (
	// ErrNotFound means the row does not exist or is not visible to the caller's tenant.
	ErrNotFound = errors.New("not found")
	// ErrSlugTaken means another tenant already uses the slug.
	ErrSlugTaken = errors.New("slug taken")
	// ErrSlugHeld means another tenant gave the slug up recently and holds
	// it for a while (UpdateTenant.SlugHold), so old links keep working.
	ErrSlugHeld = errors.New("slug held")
	// ErrDomainTaken means another tenant already uses the custom domain.
	ErrDomainTaken = errors.New("custom domain taken")
	// ErrAlreadyMember means the user already belongs to the tenant.
	ErrAlreadyMember = errors.New("already a member")
	// ErrLastOwner means the change would leave a tenant without an owner.
	ErrLastOwner = errors.New("last owner")
	// ErrSchema means the database schema is missing or not fully migrated.
	ErrSchema = errors.New("schema not migrated")
	// ErrDomainChanged means the tenant's custom domain is no longer the one
	// that was proven, so it was not marked verified.
	ErrDomainChanged = errors.New("custom domain changed")
)

// Tenant is a team: the unit of isolation for everything in the data plane.
type Tenant struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	// CustomDomain is the tenant's own host name, or nil. It only routes
	// requests once CustomDomainVerifiedAt is set.
	CustomDomain           *string    `json:"custom_domain"`
	CustomDomainVerifiedAt *time.Time `json:"custom_domain_verified_at"`
	CreatedAt              time.Time  `json:"created_at"`
}

// User is the data plane's mirror of a PocketBase `users` record.
type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Member is a user's membership in one tenant, with the user's mirror fields.
type Member struct {
	TenantID  string    `json:"tenant_id"`
	UserID    string    `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// Membership is one of a user's tenants, as listed for that user.
type Membership struct {
	Tenant Tenant `json:"tenant"`
	Role   string `json:"role"`
}

// FindTenant selects a tenant by exactly one key. Domain matches verified
// custom domains only.
type FindTenant struct {
	ID     string
	Slug   string
	Domain string
}

// UpdateTenant lists the fields to change; nil leaves a field alone.
// CustomDomain set to a pointer to "" clears the domain. Changing the domain
// clears its verification.
type UpdateTenant struct {
	Name         *string
	Slug         *string
	CustomDomain *string
	// SlugHold, when Slug changes it, keeps the old slug reserved for the
	// tenant that long: it still resolves to the tenant, no other tenant
	// can take it (ErrSlugHeld), the tenant can take it back. 0: no hold.
	SlugHold time.Duration
}

// Store is the data plane.
//
// Contract: implementations are safe for concurrent use. Every method that
// reads or writes tenant-owned rows takes the tenant id first and never sees
// another tenant's rows, whatever the SQL underneath forgets. Missing or
// invisible rows yield an error wrapping ErrNotFound, never a nil result.
// Ids are opaque strings; the driver generates tenant ids.
type Store interface {
	// Driver names the implementation: "sqlite" or "postgres".
	Driver() string
	// Ping runs the cheapest query the data plane answers, for readiness
	// probes: an error means requests that need the store fail now.
	Ping(ctx context.Context) error
	// Check verifies the schema (and, for PostgreSQL, the isolation guarantees) is in place.
	Check(ctx context.Context) error
	// Close releases connections.
	Close() error

	// CreateTenant creates a tenant and makes ownerID its owner, atomically.
	// A slug another tenant holds fails with ErrSlugHeld.
	CreateTenant(ctx context.Context, slug, name, ownerID string) (*Tenant, error)
	// ResolveTenant returns the id of the tenant matching find. It is the one
	// cross-tenant read the registry needs, and returns ids only. A slug
	// no tenant uses resolves to the tenant holding it, if any.
	ResolveTenant(ctx context.Context, find FindTenant) (string, error)
	// GetTenant returns the tenant with id tenantID.
	GetTenant(ctx context.Context, tenantID string) (*Tenant, error)
	// UpdateTenant changes a tenant's fields.
	UpdateTenant(ctx context.Context, tenantID string, update UpdateTenant) (*Tenant, error)
	// MarkDomainVerified records that the tenant proved control of domain,
	// so requests for that host route to it. It marks only while domain is
	// still the tenant's custom domain, in one statement, so a domain changed
	// after the proof is never marked: then it fails with ErrDomainChanged
	// (also when the tenant has no custom domain), and with ErrNotFound when
	// the tenant does not exist.
	MarkDomainVerified(ctx context.Context, tenantID, domain string, at time.Time) error
	// DeleteTenant removes a tenant and everything it owns.
	DeleteTenant(ctx context.Context, tenantID string) error

	// UpsertUser creates or updates a user's mirror row.
	UpsertUser(ctx context.Context, user User) error
	// DeleteUser removes a user's mirror row and all their memberships. It
	// fails with ErrLastOwner if the user is the last owner of any tenant.
	DeleteUser(ctx context.Context, userID string) error
	// GetUser returns a mirrored user by id.
	GetUser(ctx context.Context, userID string) (*User, error)
	// FindUserByEmail returns a mirrored user by email, case-insensitively.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// ListUserIDs returns every mirrored user id, for reconciliation.
	ListUserIDs(ctx context.Context) ([]string, error)
	// OwnedSoleTenants lists the slugs of tenants where userID is the only owner.
	OwnedSoleTenants(ctx context.Context, userID string) ([]string, error)

	// ListMemberships returns the tenants userID belongs to, with roles.
	ListMemberships(ctx context.Context, userID string) ([]Membership, error)
	// ListMembers returns a tenant's members ordered by join time.
	ListMembers(ctx context.Context, tenantID string) ([]Member, error)
	// GetMember returns one member of a tenant.
	GetMember(ctx context.Context, tenantID, userID string) (*Member, error)
	// AddMember adds an existing mirrored user to a tenant.
	AddMember(ctx context.Context, tenantID, userID, role string) (*Member, error)
	// UpdateMemberRole changes a member's role; demoting the last owner fails with ErrLastOwner.
	UpdateMemberRole(ctx context.Context, tenantID, userID, role string) (*Member, error)
	// RemoveMember removes a member; removing the last owner fails with ErrLastOwner.
	RemoveMember(ctx context.Context, tenantID, userID string) error

	ProviderStore
	PersonaStore
	SecretStore
	DiscussionStore
	AuditStore
	BudgetStore
	InvitationStore
	AccountStore
}

// NewID returns a new time-ordered unique id (a UUIDv7 string), the form
// every data-plane id the store generates takes.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// IDOrNew returns id, or a new id when it is empty: callers that must know
// a row's id before inserting it (to bind a sealed secret to it) choose it.
func IDOrNew(id string) string {
	if id == "" {
		return NewID()
	}
	return id
}

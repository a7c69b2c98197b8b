// Package tenant owns the rules about nyxCore tenants (teams): member roles
// and who may change them, what a tenant slug or custom domain may look
// like, and which tenant an HTTP request belongs to.
//
// It deliberately imports nothing else from the repository so that the HTTP
// layer, the store and the migrations can all depend on it without cycles,
// and so that the security-relevant rules can be tested in isolation.
package tenant

import "errors"

// Sentinel errors returned (usually wrapped with detail) by this package.
// Callers match them with errors.Is; the wrapped message is meant for users.
var (
	// ErrInvalidRole means a string or Role is not one of the four roles.
	ErrInvalidRole = errors.New("tenant: invalid role")
	// ErrInvalidSlug means a slug is malformed; the wrapping error says why.
	ErrInvalidSlug = errors.New("tenant: invalid slug")
	// ErrReservedSlug means a slug is well formed but reserved for the product.
	ErrReservedSlug = errors.New("tenant: reserved slug")
	// ErrInvalidDomain means a custom domain is unusable; the wrapping error says why.
	ErrInvalidDomain = errors.New("tenant: invalid domain")
	// ErrForbidden means the actor's role does not allow the membership change.
	ErrForbidden = errors.New("tenant: forbidden")
	// ErrCannotGrantOwner means an admin tried to make someone an owner.
	ErrCannotGrantOwner = errors.New("tenant: only owners can grant the owner role")
	// ErrUnknownTenant means a request named a tenant that does not exist or
	// that disagrees with another source. The two cases share one error so
	// that responses do not reveal which tenants exist.
	ErrUnknownTenant = errors.New("tenant: unknown tenant")
	// ErrNoTenant means a request did not name a tenant at all.
	ErrNoTenant = errors.New("tenant: no tenant")
)

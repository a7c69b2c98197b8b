package tenant

import "fmt"

// Role is a member's role within a tenant. The zero value is not a valid role.
type Role string

// The roles, from most to least privileged.
const (
	// RoleOwner can do everything, including managing other owners.
	RoleOwner Role = "owner"
	// RoleAdmin manages members and settings but cannot touch owners.
	RoleAdmin Role = "admin"
	// RoleMember uses the workspace.
	RoleMember Role = "member"
	// RoleViewer has read-only access.
	RoleViewer Role = "viewer"
)

// Roles returns all roles ordered from most to least privileged. It returns
// a fresh slice so callers may modify it.
func Roles() []Role {
	return []Role{RoleOwner, RoleAdmin, RoleMember, RoleViewer}
}

// ParseRole returns the Role named exactly by s. Matching is exact (no case
// folding or trimming) so that stored values and API input have one spelling.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !r.Valid() {
		return "", fmt.Errorf("%w: %q (want one of owner, admin, member, viewer)", ErrInvalidRole, s)
	}
	return r, nil
}

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	return r.rank() > 0
}

// AtLeast reports whether r is as privileged as min or more. It is false
// whenever either role is invalid, so a corrupted or empty role never grants
// access and a mistyped requirement never passes.
func (r Role) AtLeast(min Role) bool {
	return r.Valid() && min.Valid() && r.rank() >= min.rank()
}

// rank orders the roles; 0 marks an invalid role.
func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 4
	case RoleAdmin:
		return 3
	case RoleMember:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

package tenant

import "fmt"

// CanChangeRole reports, as a nil error, whether an actor with role actor may
// give role to to a member whose current role is from. from is "" when a new
// member is being added.
//
// Only owners and admins manage members (ErrForbidden otherwise). Admins may
// not change an existing owner (ErrForbidden) and may not grant the owner
// role (ErrCannotGrantOwner). Keeping at least one owner needs a count and is
// therefore enforced by the store, not here.
func CanChangeRole(actor, from, to Role) error {
	if !actor.AtLeast(RoleAdmin) {
		return ErrForbidden
	}
	if !to.Valid() {
		return fmt.Errorf("%w: target role %q", ErrInvalidRole, to)
	}
	if from != "" && !from.Valid() {
		return fmt.Errorf("%w: current role %q", ErrInvalidRole, from)
	}
	if actor == RoleOwner {
		return nil
	}
	if from == RoleOwner {
		return ErrForbidden
	}
	if to == RoleOwner {
		return ErrCannotGrantOwner
	}
	return nil
}

// CanRemove reports, as a nil error, whether an actor with role actor may
// remove a member with role target from the tenant. self is true when the
// actor is removing themselves, which anyone may do: leaving must never
// require someone else's permission. Otherwise only owners and admins remove
// members, and admins cannot remove owners (ErrForbidden). As with
// CanChangeRole, the last owner is protected by the store.
func CanRemove(actor, target Role, self bool) error {
	if self {
		return nil
	}
	if !actor.AtLeast(RoleAdmin) {
		return ErrForbidden
	}
	if !target.Valid() {
		return fmt.Errorf("%w: target role %q", ErrInvalidRole, target)
	}
	if actor == RoleAdmin && target == RoleOwner {
		return ErrForbidden
	}
	return nil
}

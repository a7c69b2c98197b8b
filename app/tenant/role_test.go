package tenant

import (
	"errors"
	"slices"
	"testing"
)

func TestRoles(t *testing.T) {
	want := []Role{RoleOwner, RoleAdmin, RoleMember, RoleViewer}
	if got := Roles(); !slices.Equal(got, want) {
		t.Fatalf("Roles() = %v, want %v", got, want)
	}
	// Callers may sort or trim the result; that must not leak into later calls.
	Roles()[0] = "mutated"
	if got := Roles(); !slices.Equal(got, want) {
		t.Fatalf("Roles() after caller mutation = %v, want %v", got, want)
	}
}

func TestParseRole(t *testing.T) {
	tests := []struct {
		in      string
		want    Role
		wantErr bool
	}{
		{in: "owner", want: RoleOwner},
		{in: "admin", want: RoleAdmin},
		{in: "member", want: RoleMember},
		{in: "viewer", want: RoleViewer},
		{in: "", wantErr: true},
		{in: "Owner", wantErr: true},
		{in: "ADMIN", wantErr: true},
		{in: " member", wantErr: true},
		{in: "viewer ", wantErr: true},
		{in: "superuser", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseRole(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrInvalidRole) {
					t.Fatalf("ParseRole(%q) error = %v, want ErrInvalidRole", tc.in, err)
				}
				if got != "" {
					t.Fatalf("ParseRole(%q) = %q on error, want empty", tc.in, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseRole(%q) = %q, %v; want %q, nil", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestRoleValid(t *testing.T) {
	tests := []struct {
		role Role
		want bool
	}{
		{RoleOwner, true},
		{RoleAdmin, true},
		{RoleMember, true},
		{RoleViewer, true},
		{"", false},
		{"OWNER", false},
		{"guest", false},
	}
	for _, tc := range tests {
		t.Run(string(tc.role), func(t *testing.T) {
			if got := tc.role.Valid(); got != tc.want {
				t.Fatalf("Role(%q).Valid() = %v, want %v", tc.role, got, tc.want)
			}
		})
	}
}

func TestRoleAtLeast(t *testing.T) {
	tests := []struct {
		name string
		r    Role
		min  Role
		want bool
	}{
		{"owner>=owner", RoleOwner, RoleOwner, true},
		{"owner>=admin", RoleOwner, RoleAdmin, true},
		{"owner>=viewer", RoleOwner, RoleViewer, true},
		{"admin>=member", RoleAdmin, RoleMember, true},
		{"admin<owner", RoleAdmin, RoleOwner, false},
		{"member>=member", RoleMember, RoleMember, true},
		{"member>=viewer", RoleMember, RoleViewer, true},
		{"member<admin", RoleMember, RoleAdmin, false},
		{"viewer>=viewer", RoleViewer, RoleViewer, true},
		{"viewer<member", RoleViewer, RoleMember, false},
		{"empty role", "", RoleViewer, false},
		{"unknown role", "root", RoleViewer, false},
		{"wrong case", "OWNER", RoleViewer, false},
		{"invalid min", RoleOwner, "", false},
		{"unknown min", RoleOwner, "guest", false},
		{"both empty", "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.r.AtLeast(tc.min); got != tc.want {
				t.Fatalf("Role(%q).AtLeast(%q) = %v, want %v", tc.r, tc.min, got, tc.want)
			}
		})
	}
}

// TestRoleAtLeastMatchesRolesOrder checks every pair so that AtLeast and the
// documented order of Roles cannot drift apart.
func TestRoleAtLeastMatchesRolesOrder(t *testing.T) {
	roles := Roles()
	for i, r := range roles {
		for j, min := range roles {
			t.Run(string(r)+"/"+string(min), func(t *testing.T) {
				if got, want := r.AtLeast(min), i <= j; got != want {
					t.Fatalf("%q.AtLeast(%q) = %v, want %v", r, min, got, want)
				}
			})
		}
	}
}

func TestCanChangeRole(t *testing.T) {
	tests := []struct {
		name    string
		actor   Role
		from    Role
		to      Role
		wantErr error
	}{
		{"owner adds owner", RoleOwner, "", RoleOwner, nil},
		{"owner adds viewer", RoleOwner, "", RoleViewer, nil},
		{"owner promotes member to owner", RoleOwner, RoleMember, RoleOwner, nil},
		{"owner demotes owner", RoleOwner, RoleOwner, RoleMember, nil},
		{"owner demotes admin", RoleOwner, RoleAdmin, RoleViewer, nil},
		{"admin adds admin", RoleAdmin, "", RoleAdmin, nil},
		{"admin adds member", RoleAdmin, "", RoleMember, nil},
		{"admin promotes member to admin", RoleAdmin, RoleMember, RoleAdmin, nil},
		{"admin demotes admin", RoleAdmin, RoleAdmin, RoleViewer, nil},
		{"admin adds owner", RoleAdmin, "", RoleOwner, ErrCannotGrantOwner},
		{"admin promotes member to owner", RoleAdmin, RoleMember, RoleOwner, ErrCannotGrantOwner},
		{"admin promotes admin to owner", RoleAdmin, RoleAdmin, RoleOwner, ErrCannotGrantOwner},
		{"admin demotes owner", RoleAdmin, RoleOwner, RoleMember, ErrForbidden},
		{"admin keeps owner as owner", RoleAdmin, RoleOwner, RoleOwner, ErrForbidden},
		{"member adds viewer", RoleMember, "", RoleViewer, ErrForbidden},
		{"member promotes viewer", RoleMember, RoleViewer, RoleMember, ErrForbidden},
		{"viewer adds viewer", RoleViewer, "", RoleViewer, ErrForbidden},
		{"empty actor", "", "", RoleViewer, ErrForbidden},
		{"unknown actor", "OWNER", "", RoleViewer, ErrForbidden},
		{"member with invalid target still forbidden", RoleMember, "", "root", ErrForbidden},
		{"invalid target role", RoleOwner, "", "root", ErrInvalidRole},
		{"empty target role", RoleOwner, RoleMember, "", ErrInvalidRole},
		{"invalid current role", RoleOwner, "root", RoleMember, ErrInvalidRole},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CanChangeRole(tc.actor, tc.from, tc.to)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CanChangeRole(%q, %q, %q) = %v, want %v", tc.actor, tc.from, tc.to, err, tc.wantErr)
			}
		})
	}
}

func TestCanRemove(t *testing.T) {
	tests := []struct {
		name    string
		actor   Role
		target  Role
		self    bool
		wantErr error
	}{
		{"owner leaves", RoleOwner, RoleOwner, true, nil},
		{"admin leaves", RoleAdmin, RoleAdmin, true, nil},
		{"member leaves", RoleMember, RoleMember, true, nil},
		{"viewer leaves", RoleViewer, RoleViewer, true, nil},
		{"owner removes owner", RoleOwner, RoleOwner, false, nil},
		{"owner removes admin", RoleOwner, RoleAdmin, false, nil},
		{"owner removes member", RoleOwner, RoleMember, false, nil},
		{"owner removes viewer", RoleOwner, RoleViewer, false, nil},
		{"admin removes admin", RoleAdmin, RoleAdmin, false, nil},
		{"admin removes member", RoleAdmin, RoleMember, false, nil},
		{"admin removes viewer", RoleAdmin, RoleViewer, false, nil},
		{"admin removes owner", RoleAdmin, RoleOwner, false, ErrForbidden},
		{"member removes viewer", RoleMember, RoleViewer, false, ErrForbidden},
		{"member removes member", RoleMember, RoleMember, false, ErrForbidden},
		{"viewer removes member", RoleViewer, RoleMember, false, ErrForbidden},
		{"empty actor", "", RoleViewer, false, ErrForbidden},
		{"unknown actor", "Owner", RoleViewer, false, ErrForbidden},
		{"invalid target", RoleOwner, "root", false, ErrInvalidRole},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CanRemove(tc.actor, tc.target, tc.self)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("CanRemove(%q, %q, %v) = %v, want %v", tc.actor, tc.target, tc.self, err, tc.wantErr)
			}
		})
	}
}

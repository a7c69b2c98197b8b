package server

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
)

// tenantView is a tenant as the API shows it, with the caller's role.
type tenantView struct {
	ID                   string    `json:"id"`
	Slug                 string    `json:"slug"`
	Name                 string    `json:"name"`
	CustomDomain         *string   `json:"custom_domain"`
	CustomDomainVerified bool      `json:"custom_domain_verified"`
	CreatedAt            time.Time `json:"created_at"`
	Role                 string    `json:"role,omitempty"`
}

func viewTenant(t *store.Tenant, role tenant.Role) tenantView {
	return tenantView{ID: t.ID, Slug: t.Slug, Name: t.Name, CustomDomain: t.CustomDomain,
		CustomDomainVerified: t.CustomDomainVerifiedAt != nil, CreatedAt: t.CreatedAt, Role: string(role)}
}

// memberView is a membership as the API shows it.
type memberView struct {
	UserID    string    `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

func viewMember(m *store.Member) memberView {
	return memberView{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: m.Role, CreatedAt: m.CreatedAt}
}

// list is the envelope of every collection response.
type list[T any] struct {
	Items []T `json:"items"`
}

// optString tells an absent field from one set to null or a value, so a
// PATCH can clear a field with null.
type optString struct {
	Set   bool
	Value *string
}

// UnmarshalJSON records that the field was present.
func (o *optString) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(b, []byte("null")) {
		o.Value = nil
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

func jsonUnmarshal(b []byte, v any) { json.Unmarshal(b, v) } //nolint:errcheck // stored values were marshalled by us

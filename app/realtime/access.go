package realtime

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// Reasons a subscription is revoked, sent to the client in the final
// "revoked" event as {"reason":…}.
const (
	ReasonRemoved       = "removed"        // the member left or was removed from the tenant
	ReasonRoleChanged   = "role_changed"   // the member's role no longer reaches what the topic needs
	ReasonTenantDeleted = "tenant_deleted" // the tenant is gone
	ReasonUserDeleted   = "user_deleted"   // the account is gone
	ReasonSignedOut     = "signed_out"     // the account's tokens were invalidated (password change, log out everywhere)
	ReasonExpired       = "expired"        // the token the stream was opened with expired
)

// TypeRevoked is the SSE event that ends a revoked stream.
const TypeRevoked = "revoked"

// ErrInvalidRevocation is returned by Revoke for a Revocation that names
// neither a user nor a tenant (it would end every subscription).
var ErrInvalidRevocation = errors.New("realtime: revocation names neither a user nor a tenant")

// Owner is whose an access-checked subscription is and what keeps it open.
// The hub ends the subscription when a Revocation takes that access away
// or when Expires passes.
type Owner struct {
	UserID   string
	TenantID string
	// Needs is the least role the topic requires (viewer for discussions
	// and tenant activity; a workflow topic may require more).
	Needs tenant.Role
	// Session identifies the credential generation the stream was opened
	// with (for PocketBase: a digest of the account's token key). A
	// Revocation of the user carrying another Session ends the stream.
	Session string
	// Expires is when the stream's credential expires; zero: never.
	Expires time.Time
}

// Revocation says whose access changed. Which subscriptions it ends:
//
//   - UserID and TenantID: the member's role in the tenant is now Role (""
//     when they are no longer a member); subscriptions needing more end.
//   - TenantID only: the tenant is gone; all its subscriptions end.
//   - UserID with Session: the account's credentials are now of
//     generation Session; the user's subscriptions opened with another end.
//   - UserID only: the account is gone; all its subscriptions end.
//
// Revocation is plain data so that it can travel between processes.
type Revocation struct {
	UserID   string      `json:"user_id,omitempty"`
	TenantID string      `json:"tenant_id,omitempty"`
	Role     tenant.Role `json:"role,omitempty"`
	Session  string      `json:"session,omitempty"`
	Reason   string      `json:"reason"` // one of the Reason constants, told to the client
}

// ends reports whether r takes away the access of a subscription owned by o.
func (r Revocation) ends(o *Owner) bool {
	switch {
	case r.UserID != "" && r.UserID != o.UserID, r.TenantID != "" && r.TenantID != o.TenantID:
		return false
	case r.Session != "":
		return o.Session != r.Session
	case r.UserID != "" && r.TenantID != "":
		return !r.Role.AtLeast(o.Needs)
	}
	return true
}

// Revoker ends the subscriptions a Revocation takes away. Implementations
// are safe for concurrent use. Callers revoke after the change is stored,
// so a stream that registers later sees the change when it confirms its
// access (see Access.Confirm).
//
// The Hub is the in-process implementation: Revoke returns once every
// matching subscription of this process has ended. When events are shared
// between processes, a shared implementation publishes the Revocation (a
// Redis channel, say) and every process applies it to its own Hub with
// Hub.Revoke; callers stay as they are.
type Revoker interface {
	Revoke(ctx context.Context, r Revocation) error
}

// access indexes the hub's owned subscriptions by user and by tenant, so a
// revocation touches only the subscriptions it may end. Its mutex is never
// held while a topic's is taken, nor the other way round.
type access struct {
	mu       sync.Mutex
	byUser   map[string]map[*Subscription]struct{}
	byTenant map[string]map[*Subscription]struct{}
}

func (a *access) add(s *Subscription) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.byUser == nil {
		a.byUser, a.byTenant = map[string]map[*Subscription]struct{}{}, map[string]map[*Subscription]struct{}{}
	}
	index(a.byUser, s.owner.UserID, s)
	index(a.byTenant, s.owner.TenantID, s)
}

func (a *access) remove(s *Subscription) {
	a.mu.Lock()
	defer a.mu.Unlock()
	unindex(a.byUser, s.owner.UserID, s)
	unindex(a.byTenant, s.owner.TenantID, s)
}

// matching returns the subscriptions r ends.
func (a *access) matching(r Revocation) []*Subscription {
	a.mu.Lock()
	defer a.mu.Unlock()
	set := a.byUser[r.UserID]
	if r.UserID == "" {
		set = a.byTenant[r.TenantID]
	}
	var out []*Subscription
	for s := range set {
		if r.ends(s.owner) {
			out = append(out, s)
		}
	}
	return out
}

func index(m map[string]map[*Subscription]struct{}, k string, s *Subscription) {
	if m[k] == nil {
		m[k] = map[*Subscription]struct{}{}
	}
	m[k][s] = struct{}{}
}

func unindex(m map[string]map[*Subscription]struct{}, k string, s *Subscription) {
	delete(m[k], s)
	if len(m[k]) == 0 {
		delete(m, k)
	}
}

// SubscribeAs is Subscribe for an owned subscription: it also ends when a
// Revoke takes o's access away (Revoked then reports why) and when
// o.Expires passes. The caller checks access before; to close the gap
// between that check and the registration, it checks again after
// SubscribeAs returns (ServeSSEAs does this with Access.Confirm).
func (h *Hub) SubscribeAs(topic, lastEventID string, o Owner) (*Subscription, error) {
	s, err := h.Subscribe(topic, lastEventID)
	if err != nil {
		return nil, err
	}
	s.owner = &o
	if !o.Expires.IsZero() {
		s.expiry.Store(time.AfterFunc(time.Until(o.Expires), func() { s.revoke(ReasonExpired) }))
	}
	// Indexed last: from here a revocation may end it. A timer that fired
	// already leaves an ended subscription indexed until the caller's Close.
	h.access.add(s)
	return s, nil
}

// Revoke ends, before it returns, every subscription of this hub that r
// takes away; each ends with r.Reason. Subscriptions made without an Owner
// are never affected. It implements Revoker.
func (h *Hub) Revoke(_ context.Context, r Revocation) error {
	if r.UserID == "" && r.TenantID == "" {
		return ErrInvalidRevocation
	}
	for _, s := range h.access.matching(r) {
		s.revoke(r.Reason)
	}
	return nil
}

var _ Revoker = (*Hub)(nil)

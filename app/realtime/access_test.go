package realtime

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// owners of the revocation tests: u1 is in t1 (viewer topic and admin
// topic) and t2; u2 is in t1.
var testOwners = map[string]Owner{
	"u1@t1":       {UserID: "u1", TenantID: "t1", Needs: tenant.RoleViewer, Session: "k1"},
	"u1@t1 admin": {UserID: "u1", TenantID: "t1", Needs: tenant.RoleAdmin, Session: "k1"},
	"u1@t2":       {UserID: "u1", TenantID: "t2", Needs: tenant.RoleViewer, Session: "k1"},
	"u2@t1":       {UserID: "u2", TenantID: "t1", Needs: tenant.RoleViewer, Session: "k2"},
}

func TestRevokeEndsWhatItTakesAway(t *testing.T) {
	tests := []struct {
		name string
		r    Revocation
		ends []string
	}{
		{"member removed", Revocation{UserID: "u1", TenantID: "t1", Reason: ReasonRemoved}, []string{"u1@t1", "u1@t1 admin"}},
		{"demoted below admin", Revocation{UserID: "u1", TenantID: "t1", Role: tenant.RoleMember, Reason: ReasonRoleChanged}, []string{"u1@t1 admin"}},
		{"demoted to viewer keeps viewer topics", Revocation{UserID: "u1", TenantID: "t1", Role: tenant.RoleViewer, Reason: ReasonRoleChanged}, []string{"u1@t1 admin"}},
		{"promoted", Revocation{UserID: "u1", TenantID: "t1", Role: tenant.RoleOwner, Reason: ReasonRoleChanged}, nil},
		{"tenant deleted", Revocation{TenantID: "t1", Reason: ReasonTenantDeleted}, []string{"u1@t1", "u1@t1 admin", "u2@t1"}},
		{"user deleted", Revocation{UserID: "u1", Reason: ReasonUserDeleted}, []string{"u1@t1", "u1@t1 admin", "u1@t2"}},
		{"tokens invalidated", Revocation{UserID: "u1", Session: "k1-new", Reason: ReasonSignedOut}, []string{"u1@t1", "u1@t1 admin", "u1@t2"}},
		{"same token generation", Revocation{UserID: "u1", Session: "k1", Reason: ReasonSignedOut}, nil},
		{"unknown user", Revocation{UserID: "nobody", Reason: ReasonUserDeleted}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noLeaks(t)
			h := newHub(t, Options{})
			subs := map[string]*Subscription{}
			for name, o := range testOwners {
				s, err := h.SubscribeAs("topic "+name, "", o)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(s.Close)
				subs[name] = s
			}
			plain := subscribe(t, h, "topic u1@t1", "") // no owner: never revoked
			if err := h.Revoke(context.Background(), tt.r); err != nil {
				t.Fatal(err)
			}
			ends := map[string]bool{}
			for _, n := range tt.ends {
				ends[n] = true
			}
			for name, s := range subs {
				publish(t, h, "topic "+name, "message", name)
				if ends[name] {
					if _, ok := <-s.Events(); ok || s.Revoked() != tt.r.Reason {
						t.Errorf("%s: still open (or revoked %q), want ended with %q", name, s.Revoked(), tt.r.Reason)
					}
					continue
				}
				if ev := next(t, s); string(ev.Data) != `"`+name+`"` || s.Revoked() != "" {
					t.Errorf("%s: got %s, revoked %q; want it still streaming", name, ev.Data, s.Revoked())
				}
			}
			if ev := next(t, plain); ev.Type != "message" {
				t.Errorf("plain subscription got %s", ev.Type)
			}
		})
	}
}

func TestRevokeRefusesRevokingEveryone(t *testing.T) {
	h := newHub(t, Options{})
	s, err := h.SubscribeAs(topicA, "", testOwners["u1@t1"])
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := h.Revoke(context.Background(), Revocation{Role: tenant.RoleViewer, Reason: ReasonRemoved}); !errors.Is(err, ErrInvalidRevocation) {
		t.Fatalf("Revoke = %v, want ErrInvalidRevocation", err)
	}
	if s.Revoked() != "" {
		t.Fatal("a refused revocation ended a subscription")
	}
}

func TestOwnedSubscriptionExpires(t *testing.T) {
	noLeaks(t)
	h := newHub(t, Options{})
	o := testOwners["u1@t1"]
	o.Expires = time.Now().Add(100 * time.Millisecond)
	s, err := h.SubscribeAs(topicA, "", o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	select {
	case _, ok := <-s.Events():
		if ok {
			t.Fatal("got an event")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("not ended 5s after expiry")
	}
	if s.Revoked() != ReasonExpired || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("ended after %v with %q, want %q at expiry", time.Since(start), s.Revoked(), ReasonExpired)
	}

	// A credential that expired already ends the subscription at once.
	o.Expires = time.Now().Add(-time.Second)
	s2, err := h.SubscribeAs(topicA, "", o)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	waitFor(t, "the expired subscription to end", func() bool { return s2.Revoked() == ReasonExpired })
}

// TestClosedSubscriptionsLeaveTheIndex keeps memory flat over many
// reconnects and keeps Revoke from touching ended subscriptions.
func TestClosedSubscriptionsLeaveTheIndex(t *testing.T) {
	h := newHub(t, Options{})
	for range 100 {
		o := testOwners["u1@t1"]
		o.Expires = time.Now().Add(time.Hour)
		s, err := h.SubscribeAs(topicA, "", o)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	r, err := h.SubscribeAs(topicA, "", testOwners["u2@t1"])
	if err != nil {
		t.Fatal(err)
	}
	h.Revoke(context.Background(), Revocation{TenantID: "t1", Reason: ReasonTenantDeleted})
	h.access.mu.Lock()
	defer h.access.mu.Unlock()
	if len(h.access.byUser) != 0 || len(h.access.byTenant) != 0 || r.Revoked() == "" {
		t.Fatalf("index holds %d users, %d tenants after every subscription ended", len(h.access.byUser), len(h.access.byTenant))
	}
}

// ownedServer serves ServeSSEAs: the owner is the query's user, tenant and
// needs; ?refuse=1 makes Confirm refuse.
func newOwnedServer(t *testing.T, h *Hub) *sseServer {
	t.Helper()
	s := &sseServer{hub: h, errs: make(chan error, 100), client: &http.Client{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		a := Access{Owner: Owner{UserID: q.Get("user"), TenantID: q.Get("tenant"), Needs: tenant.Role(q.Get("needs"))}}
		if q.Get("refuse") != "" {
			a.Confirm = func(context.Context) error { return errors.New("no longer a member") }
		}
		err := h.ServeSSEAs(w, r, q.Get("topic"), a)
		if err != nil && err.Error() == "no longer a member" {
			http.Error(w, "refused", http.StatusForbidden)
		}
		s.errs <- err
	}))
	t.Cleanup(func() {
		h.Close()
		s.Close()
	})
	return s
}

func TestSSERevokedStreamIsToldAndEnds(t *testing.T) {
	noLeaks(t)
	h := New(Options{})
	s := newOwnedServer(t, h)
	q := func(user string) url.Values {
		return url.Values{"topic": {topicA}, "user": {user}, "tenant": {"t1"}, "needs": {"viewer"}}
	}
	gone, stays := s.connect(t, q("u1"), ""), s.connect(t, q("u2"), "")
	waitFor(t, "the subscribers", func() bool { return h.Stats().Subscribers == 2 })
	publish(t, h, topicA, "message", "before")
	for _, c := range []*sseConn{gone, stays} {
		if f := c.next(t); f.Data != `"before"` {
			t.Fatalf("first frame %+v", f)
		}
	}

	if err := h.Revoke(context.Background(), Revocation{UserID: "u1", TenantID: "t1", Reason: ReasonRemoved}); err != nil {
		t.Fatal(err)
	}
	publish(t, h, topicA, "message", "after")
	if f := gone.next(t); f.Event != TypeRevoked || f.Data != `{"reason":"removed"}` || f.ID != "" {
		t.Fatalf("revoked stream got %+v, want the revoked frame", f)
	}
	if f, err := gone.read(); err != io.EOF {
		t.Fatalf("after the revoked frame: %+v %v, want EOF", f, err)
	}
	if err := s.handlerResult(t); !errors.Is(err, ErrRevoked) {
		t.Errorf("handler returned %v, want ErrRevoked", err)
	}
	if f := stays.next(t); f.Data != `"after"` {
		t.Fatalf("the other member's stream got %+v", f)
	}

	refused := q("u1")
	refused.Set("refuse", "1")
	c := s.connect(t, refused, "")
	if c.resp.StatusCode != http.StatusForbidden || c.resp.Header.Get("Content-Type") == "text/event-stream" {
		t.Fatalf("refused by Confirm: status %d, %s", c.resp.StatusCode, c.resp.Header.Get("Content-Type"))
	}
	s.handlerResult(t)
	if n := h.Stats().Subscribers; n != 1 {
		t.Fatalf("%d subscribers after a refused stream, want 1", n)
	}
}

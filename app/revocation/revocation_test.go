package revocation_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/revocation"
	"github.com/nyxcore/nyxcore/app/tenant"
)

func TestMain(m *testing.M) { os.Exit(kvtest.Run(m)) }

// process is one server process: its hub and its Bus on the shared Redis.
type process struct {
	hub *realtime.Hub
	bus *revocation.Bus
}

func newProcess(t *testing.T, url string) process {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opts)
	hub := realtime.New(realtime.Options{})
	bus, err := revocation.Start(context.Background(), hub, rdb, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bus.Close(); hub.Close(); rdb.Close() })
	return process{hub, bus}
}

func (p process) watch(t *testing.T, user, tenantID string) *realtime.Subscription {
	t.Helper()
	s, err := p.hub.SubscribeAs("t:"+tenantID+":activity", "", realtime.Owner{UserID: user, TenantID: tenantID, Needs: tenant.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// endsWithin fails unless s ends with reason within d.
func endsWithin(t *testing.T, s *realtime.Subscription, d time.Duration, reason string) {
	t.Helper()
	select {
	case _, ok := <-s.Events():
		if ok {
			t.Fatal("got an event, want the end")
		}
	case <-time.After(d):
		t.Fatalf("still open %v after the revocation", d)
	}
	if s.Revoked() != reason {
		t.Fatalf("revoked %q, want %q", s.Revoked(), reason)
	}
}

// TestRevocationReachesOtherProcesses: a member removed through process A
// loses the streams they hold on processes A and B within a second; the
// streams of others, on either process, stay.
func TestRevocationReachesOtherProcesses(t *testing.T) {
	url := kvtest.URL(t)
	a, b := newProcess(t, url), newProcess(t, url)
	onA, onB := a.watch(t, "u1", "t1"), b.watch(t, "u1", "t1")
	otherA, otherB := a.watch(t, "u2", "t1"), b.watch(t, "u1", "t2")

	if err := a.bus.Revoke(context.Background(), realtime.Revocation{UserID: "u1", TenantID: "t1", Reason: realtime.ReasonRemoved}); err != nil {
		t.Fatal(err)
	}
	if onA.Revoked() != realtime.ReasonRemoved {
		t.Fatalf("the local stream was not ended before Revoke returned: %q", onA.Revoked())
	}
	endsWithin(t, onB, time.Second, realtime.ReasonRemoved)

	// Process B's own revocation travels back to A.
	if err := b.bus.Revoke(context.Background(), realtime.Revocation{TenantID: "t1", Reason: realtime.ReasonTenantDeleted}); err != nil {
		t.Fatal(err)
	}
	endsWithin(t, otherA, time.Second, realtime.ReasonTenantDeleted)
	if err := a.hub.Publish("t:t2:activity", "turn", "still here"); err != nil {
		t.Fatal(err)
	}
	if err := b.hub.Publish("t:t2:activity", "turn", "still here"); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-otherB.Events():
		if ev == nil || string(ev.Data) != `"still here"` {
			t.Fatalf("the other tenant's stream got %v", ev)
		}
	case <-time.After(time.Second):
		t.Fatal("the other tenant's stream got nothing")
	}
}

// TestRevocationStartsAfterTheBacklog: a process that starts later does not
// replay revocations from before it started (they would end streams of
// members who were added back since).
func TestRevocationStartsAfterTheBacklog(t *testing.T) {
	url := kvtest.URL(t)
	a := newProcess(t, url)
	if err := a.bus.Revoke(context.Background(), realtime.Revocation{UserID: "u1", Reason: realtime.ReasonUserDeleted}); err != nil {
		t.Fatal(err)
	}
	b := newProcess(t, url)
	s := b.watch(t, "u1", "t1")
	time.Sleep(1500 * time.Millisecond) // more than a read's block
	if s.Revoked() != "" {
		t.Fatalf("an old revocation ended a new stream: %q", s.Revoked())
	}
}

func TestRevocationRefusesInvalid(t *testing.T) {
	a := newProcess(t, kvtest.URL(t))
	err := a.bus.Revoke(context.Background(), realtime.Revocation{Reason: realtime.ReasonRemoved})
	if !errors.Is(err, realtime.ErrInvalidRevocation) {
		t.Fatalf("Revoke = %v, want ErrInvalidRevocation", err)
	}
}

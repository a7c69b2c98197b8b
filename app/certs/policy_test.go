package certs

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// countingLookup knows tenant "acme" and verified domain "chat.acme.example",
// and counts the queries it answers.
type countingLookup struct{ n atomic.Int64 }

func (l *countingLookup) ByDomain(_ context.Context, d string) (string, bool, error) {
	l.n.Add(1)
	return "t1", d == "chat.acme.example", nil
}

func (l *countingLookup) ByRef(_ context.Context, ref string) (string, bool, error) {
	l.n.Add(1)
	return "t1", ref == "acme", nil
}

func TestPolicyDecides(t *testing.T) {
	p := newPolicy("nyx.example.com", "nyx.example.com", &countingLookup{})
	for name, ok := range map[string]bool{
		"nyx.example.com": true, "acme.nyx.example.com": true, "chat.acme.example": true, "NYX.example.com.": true,
		"nope.nyx.example.com": false, "a.acme.nyx.example.com": false, "evil.example": false, "xnyx.example.com": false,
	} {
		if err := p.decide(context.Background(), name); (err == nil) != ok {
			t.Errorf("%s: err=%v, want allowed=%v", name, err, ok)
		}
	}
}

func TestPolicyThrottlesFloods(t *testing.T) {
	l := &countingLookup{}
	p := newPolicy("nyx.example.com", "nyx.example.com", l)
	now := time.Unix(1e9, 0)
	p.now = func() time.Time { return now }
	// The same unknown name a thousand times: one query.
	for range 1000 {
		p.decide(context.Background(), "nope.nyx.example.com")
	}
	if n := l.n.Load(); n != 1 {
		t.Fatalf("repeated name cost %d queries", n)
	}
	// Random names: the global bucket stops queries after its burst.
	refusedBusy := 0
	for i := range 1000 {
		if err := p.decide(context.Background(), string(rune('a'+i%26))+time.Duration(i).String()+".example"); errors.Is(err, errTooMany) {
			refusedBusy++
		}
	}
	if n := l.n.Load(); n > lookupBurst+1 || refusedBusy == 0 {
		t.Fatalf("flood cost %d queries (%d refused as busy)", n, refusedBusy)
	}
	// A failed issuance makes the name wait, Forget lifts that.
	p.failed("acme.nyx.example.com")
	if err := p.decide(context.Background(), "acme.nyx.example.com"); !errors.Is(err, errCoolDown) {
		t.Fatalf("after a failure: %v", err)
	}
	p.forget("acme.nyx.example.com")
	now = now.Add(time.Second) // one token back
	if err := p.decide(context.Background(), "acme.nyx.example.com"); err != nil {
		t.Fatalf("after Forget: %v", err)
	}
}

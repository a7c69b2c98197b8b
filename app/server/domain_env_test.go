package server_test

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"testing"

	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/secret"
)

// newOwnership is a domain verifier keyed by a fresh master key whose
// HTTP check may reach loopback (where the test server listens).
func newOwnership(t *testing.T) *ownership.Verifier {
	raw := make([]byte, 32)
	rand.Read(raw)
	master, err := secret.ParseMaster(base64.StdEncoding.EncodeToString(raw))
	if err != nil {
		t.Fatal(err)
	}
	guard, err := outbound.Parse("loopback")
	if err != nil {
		t.Fatal(err)
	}
	return ownership.New(master, guard, "")
}

// domainNotify forwards DomainVerified to whatever a test sets.
type domainNotify struct {
	mu sync.Mutex
	f  func(string)
}

func (n *domainNotify) set(f func(string)) { n.mu.Lock(); n.f = f; n.mu.Unlock() }

func (n *domainNotify) call(domain string) {
	n.mu.Lock()
	f := n.f
	n.mu.Unlock()
	if f != nil {
		f(domain)
	}
}

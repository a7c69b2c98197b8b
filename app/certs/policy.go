package certs

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/tenant"
)

// How long decisions are remembered, and how hard names may be tried.
const (
	allowedFor  = time.Minute      // a tenant name stays allowed without asking the store
	refusedFor  = 30 * time.Second // an unknown name stays refused
	failureWait = 30 * time.Second // a name whose issuance failed waits this long
	lookupRate  = 10.0             // store lookups per second for new names, all names together
	lookupBurst = 30.0
	maxMemo     = 10000 // remembered names; past this the memory is swept
)

// Errors the decision returns; the TLS client sees only an alert.
var (
	errNotOurs  = errors.New("certs: no tenant uses this name")
	errTooMany  = errors.New("certs: too many handshakes for new names; try again shortly")
	errCoolDown = errors.New("certs: issuance for this name failed recently")
)

// policy is the on-demand DecisionFunc: the main domain, slug subdomains
// of existing tenants, verified custom domains, nothing else. Decisions
// are remembered per name and new lookups share one token bucket, so a
// flood of handshakes for random names costs a map lookup each, not a
// store query or a request to the CA.
type policy struct {
	domain, base string
	lookup       tenant.Lookup
	now          func() time.Time

	mu     sync.Mutex
	memo   map[string]verdict
	tokens float64
	last   time.Time
}

type verdict struct {
	err   error // nil: allowed
	until time.Time
}

func newPolicy(domain, base string, lookup tenant.Lookup) *policy {
	return &policy{domain: domain, base: base, lookup: lookup, now: time.Now, memo: map[string]verdict{}, tokens: lookupBurst}
}

// decide is certmagic's DecisionFunc; certmagic calls it concurrently.
func (p *policy) decide(ctx context.Context, name string) error {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if name == p.domain || name == p.base {
		return nil
	}
	if err, ok := p.remembered(name); ok {
		return err
	}
	if !p.take() {
		return errTooMany
	}
	ok, err := p.owned(ctx, name)
	if err != nil {
		return err // a store hiccup is not remembered
	}
	if ok {
		p.remember(name, nil, allowedFor)
		return nil
	}
	p.remember(name, errNotOurs, refusedFor)
	return errNotOurs
}

// owned asks the store whether name belongs to a tenant.
func (p *policy) owned(ctx context.Context, name string) (bool, error) {
	if p.base != "" {
		if label, under := strings.CutSuffix(name, "."+p.base); under {
			if label == "" || strings.Contains(label, ".") {
				return false, nil
			}
			_, found, err := p.lookup.ByRef(ctx, label)
			return found, err
		}
	}
	_, found, err := p.lookup.ByDomain(ctx, name)
	return found, err
}

func (p *policy) remembered(name string) (error, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.memo[name]
	if !ok || p.now().After(v.until) {
		return nil, false
	}
	return v.err, true
}

func (p *policy) remember(name string, err error, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if len(p.memo) >= maxMemo {
		for k, v := range p.memo {
			if now.After(v.until) {
				delete(p.memo, k)
			}
		}
		if len(p.memo) >= maxMemo {
			clear(p.memo)
		}
	}
	p.memo[name] = verdict{err: err, until: now.Add(d)}
}

// take spends one lookup token, refilled at lookupRate.
func (p *policy) take() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if !p.last.IsZero() {
		p.tokens = min(lookupBurst, p.tokens+now.Sub(p.last).Seconds()*lookupRate)
	}
	p.last = now
	if p.tokens < 1 {
		return false
	}
	p.tokens--
	return true
}

// failed makes name wait after a failed issuance, so handshakes for it do
// not hammer a CA that is down or refusing.
func (p *policy) failed(name string) {
	if name == "" {
		return
	}
	p.remember(strings.ToLower(name), errCoolDown, failureWait)
}

func (p *policy) forget(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.memo, name)
}

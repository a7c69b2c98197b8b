package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Policy says what a Limiter decides when the store cannot be reached.
type Policy int

// Policies. FailOpen keeps nyxCore usable through a Redis outage at the
// cost of no limits; FailClosed keeps limits at the cost of refusing all.
const (
	FailOpen   Policy = iota // allow, and log an alarm
	FailClosed               // refuse with Retry-After: 1, and log an alarm
)

// alarmEvery bounds outage logging: a down store fails every request, and
// one line per request would bury everything else in the log.
const alarmEvery = 10 * time.Second

// closedRetry is the Retry-After of a FailClosed refusal: short, since the
// store may be back at any moment and clients back off on their own.
const closedRetry = time.Second

// ParsePolicy reads "open" or "closed", the form config uses.
func ParsePolicy(s string) (Policy, error) {
	switch s {
	case "open":
		return FailOpen, nil
	case "closed":
		return FailClosed, nil
	}
	return 0, fmt.Errorf("ratelimit: policy %q: want open or closed", s)
}

// String is the inverse of ParsePolicy.
func (p Policy) String() string {
	if p == FailClosed {
		return "closed"
	}
	return "open"
}

// outage turns a store error into the policy's decision. A caller that
// cancelled its own context is not an outage: it gets the error and no
// alarm. A deadline, though, counts: a store slower than the request's
// budget is as good as down.
func (l *Limiter) outage(ctx context.Context, err error) (Decision, error) {
	if errors.Is(ctx.Err(), context.Canceled) {
		return Decision{}, fmt.Errorf("ratelimit: %w", ctx.Err())
	}
	n := l.failures.Add(1)
	l.healthy.Store(false)
	l.alarm(err, n)
	if l.policy == FailClosed {
		return Decision{RetryAfter: closedRetry, Unavailable: true}, nil
	}
	return Decision{Allowed: true, Unavailable: true}, nil
}

// alarm logs at most once per alarmEvery, whichever goroutine wins.
func (l *Limiter) alarm(err error, failures uint64) {
	now := time.Now().UnixNano()
	next := l.nextAlarm.Load()
	if l.logf == nil || now < next || !l.nextAlarm.CompareAndSwap(next, now+int64(alarmEvery)) {
		return
	}
	l.alarmed.Store(true)
	l.logf("ratelimit: store unreachable, failing "+l.policy.String(), "err", err, "failures", failures)
}

// recovered marks the store healthy and, after an alarm, says so once.
func (l *Limiter) recovered() {
	if !l.healthy.Load() { // a load, not a store, on the hot path: no shared cache-line writes
		l.healthy.Store(true)
	}
	if l.alarmed.Load() && l.alarmed.CompareAndSwap(true, false) && l.logf != nil {
		l.logf("ratelimit: store reachable again", "failures", l.failures.Load())
	}
}

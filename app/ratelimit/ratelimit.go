// Package ratelimit decides whether a request may proceed, with token
// buckets kept in a Redis-protocol store. One Lua script does the whole
// decision server-side, so the same code is exact against a production
// Redis and against the embedded miniredis of kv.Open(ctx, ""), and many
// nyxCore processes sharing one Redis agree on every bucket and on the clock.
//
// Buckets are keyed per route class and per scope (IP, user, tenant); see
// Key, Limits and Limiter.Check. A store outage is handled by a Policy.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Errors returned by Allow and Check. Store outages are not among them:
// those become a Decision under the Limiter's Policy.
var (
	// ErrCostExceedsBurst means the request costs more tokens than the
	// bucket holds, so it can never be allowed; retrying does not help.
	ErrCostExceedsBurst = errors.New("ratelimit: cost exceeds burst")
	// ErrInvalidRule means a Rule with a rate that is not positive and
	// finite or a burst below 1, or a cost below 1.
	ErrInvalidRule = errors.New("ratelimit: invalid rule or cost")
)

// Rule is a token bucket: it holds at most Burst tokens and gains Rate
// tokens per second. A request costing n tokens is allowed when the bucket
// holds at least n.
type Rule struct {
	Rate  float64 // tokens per second
	Burst int     // bucket size
}

// PerMinute is a Rule of n tokens a minute with a bucket of burst.
func PerMinute(n float64, burst int) Rule { return Rule{Rate: n / 60, Burst: burst} }

func (r Rule) valid() bool {
	return r.Rate > 0 && !math.IsInf(r.Rate, 0) && r.Burst >= 1
}

// Decision is the outcome of one check. Limit is 0 when no bucket was
// consulted (no rule applied, or the store was down); WriteHeaders then
// sends no RateLimit-* headers.
type Decision struct {
	Allowed    bool
	Remaining  int           // whole tokens left after this request
	Limit      int           // burst of the bucket this decision describes
	RetryAfter time.Duration // when refused: wait until enough tokens; 0 if never (ErrCostExceedsBurst)
	Reset      time.Duration // until the bucket is full again
	// Exhausted names, when refused, the scopes (Check) or keys (Allow)
	// whose bucket lacked the tokens: the audit of an account's limit
	// needs to know it was that bucket, not the IP's, that ran out.
	Exhausted []string
	// Unavailable says the store could not be reached: the decision is
	// the Policy's, not a bucket's. Sign-in routes refuse on it whatever
	// the policy (they fail closed).
	Unavailable bool
}

// Limiter checks and charges buckets. It is safe for concurrent use.
type Limiter struct {
	local   *local // the embedded mode's in-process buckets; nil: the script on Redis
	batch   batcher
	policy  Policy
	logf    func(msg string, args ...any)
	timeout time.Duration // bounds one decision's round trip to the store

	healthy   atomic.Bool
	failures  atomic.Uint64
	nextAlarm atomic.Int64 // unix nanoseconds before which outage alarms are suppressed
	alarmed   atomic.Bool  // an alarm was logged and its recovery not yet
}

// New returns a Limiter over c, typically a *kv.Client (it embeds a
// *redis.Client). Check needs all of a request's buckets on one server, so
// c should not be a Redis Cluster client. policy says what to decide when the store fails; logf,
// which may be nil, receives outage alarms as a message and key-value
// pairs, the shape of slog.Warn.
//
// When c is kv's in-process server (the embedded mode, one process by
// definition) the buckets are kept in this process's memory instead of in
// c, with the same rules and decisions (see local.go): pass the *kv.Client
// itself, not its embedded *redis.Client, so New can tell.
func New(c redis.UniversalClient, policy Policy, logf func(msg string, args ...any)) *Limiter {
	l := &Limiter{batch: newBatcher(c), policy: policy, logf: logf, timeout: DefaultTimeout}
	if l.batch.off {
		l.local = newLocal(nil, localMaxBuckets)
	}
	l.healthy.Store(true)
	return l
}

// Allow takes cost tokens from the bucket at key if it holds that many,
// in one round trip, shared with concurrent calls. A store error yields the policy's Decision and a nil
// error; the caller's own cancellation yields an error.
func (l *Limiter) Allow(ctx context.Context, key string, rule Rule, cost int) (Decision, error) {
	return l.take(ctx, []string{key}, nil, []Rule{rule}, cost)
}

// DefaultTimeout bounds a decision's round trip to Redis unless
// SetTimeout says otherwise: far below a client's patience, far above a
// healthy Redis's sub-millisecond answer.
const DefaultTimeout = 250 * time.Millisecond

// SetTimeout bounds each decision's round trip to the store by d (d > 0);
// a store slower than that is an outage and the Policy decides. Call it
// before the Limiter is used.
func (l *Limiter) SetTimeout(d time.Duration) {
	if d > 0 {
		l.timeout = d
	}
}

// Healthy reports whether the last call reached the store.
func (l *Limiter) Healthy() bool { return l.healthy.Load() }

// Failures counts calls the store failed since New, for metrics.
func (l *Limiter) Failures() uint64 { return l.failures.Load() }

// take checks every bucket and charges them all only if all allow.
// names label the keys in Decision.Exhausted; nil: the keys themselves.
func (l *Limiter) take(ctx context.Context, keys, names []string, rules []Rule, cost int) (Decision, error) {
	if cost < 1 {
		return Decision{}, fmt.Errorf("%w: cost %d", ErrInvalidRule, cost)
	}
	for i, r := range rules {
		if !r.valid() {
			return Decision{}, fmt.Errorf("%w: %s: %+v", ErrInvalidRule, keys[i], r)
		}
		if cost > r.Burst {
			return Decision{Limit: r.Burst}, fmt.Errorf("%w: %s: cost %d, burst %d", ErrCostExceedsBurst, keys[i], cost, r.Burst)
		}
	}
	if err := ctx.Err(); err != nil { // the caller is gone: spend nothing on it
		return Decision{}, fmt.Errorf("ratelimit: %w", err)
	}
	if l.local != nil {
		return decide(l.local.take(keys, rules, cost), keys, names, rules), nil
	}
	tctx, cancel := context.WithTimeout(ctx, l.timeout)
	res, err := runBuckets(tctx, &l.batch, keys, rules, cost)
	cancel()
	if err != nil {
		return l.outage(ctx, err)
	}
	l.recovered()
	return decide(res, keys, names, rules), nil
}

// decide is merge plus the names of the buckets that refused.
func decide(res result, keys, names []string, rules []Rule) Decision {
	d := merge(res, rules)
	if res.allowed {
		return d
	}
	if names == nil {
		names = keys
	}
	for i, b := range res.buckets {
		if b.retryAfter > 0 {
			d.Exhausted = append(d.Exhausted, names[i])
		}
	}
	return d
}

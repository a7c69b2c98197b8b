package ratelimit

import (
	"context"
	"sort"
)

// Check decides a request of class made by ids (scope → id, e.g. "ip" →
// "203.0.113.9", "user" → a user id); empty ids and scopes without a rule
// in limits are skipped. Every remaining bucket must allow, and the answer
// is the most restrictive one. It costs one round trip and charges no
// bucket unless all allow. With no bucket left it allows with Limit 0.
//
// All the buckets go to one script call, so they must live on one server:
// Check does not support Redis Cluster.
func (l *Limiter) Check(ctx context.Context, class Class, ids map[string]string, limits Limits) (Decision, error) {
	return l.CheckN(ctx, class, ids, limits, 1)
}

// CheckN is Check for a request that costs cost tokens in every bucket.
func (l *Limiter) CheckN(ctx context.Context, class Class, ids map[string]string, limits Limits, cost int) (Decision, error) {
	rules := limits[class]
	scopes := make([]string, 0, len(ids))
	for scope, id := range ids {
		if _, ok := rules[scope]; ok && id != "" {
			scopes = append(scopes, scope)
		}
	}
	if len(scopes) == 0 {
		return Decision{Allowed: true}, nil
	}
	sort.Strings(scopes) // a stable key order keeps MONITOR output and tests readable
	keys := make([]string, len(scopes))
	rs := make([]Rule, len(scopes))
	for i, scope := range scopes {
		keys[i], rs[i] = Key(class, scope, ids[scope]), rules[scope]
	}
	return l.take(ctx, keys, scopes, rs, cost)
}

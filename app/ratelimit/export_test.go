package ratelimit

import "github.com/redis/go-redis/v9"

// NewScript is New kept on bucketScript even over kv's in-process server,
// as every Limiter was before the in-process buckets: for the benchmark
// that compares the two and the test that holds them to the same answers.
func NewScript(c redis.UniversalClient, policy Policy, logf func(msg string, args ...any)) *Limiter {
	l := New(c, policy, logf)
	l.local = nil
	return l
}

// NewLocalAt is an in-process Limiter of at most maxBuckets buckets on a
// clock the test drives (µs).
func NewLocalAt(now func() int64, maxBuckets int) *Limiter {
	l := New(nil, FailClosed, nil)
	l.local = newLocal(now, maxBuckets)
	return l
}

// Buckets is how many buckets an in-process Limiter holds.
func (l *Limiter) Buckets() int { return l.local.len() }

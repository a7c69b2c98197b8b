package ratelimit

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// bucketScript checks every bucket in KEYS and charges them all only if
// every one holds ARGV[1] tokens, so a refusal by one scope never costs
// another scope anything. ARGV[2i] and ARGV[2i+1] are the rate (tokens
// per second) and burst of KEYS[i]. Each bucket is a hash of its level
// "tk" at time "ts" (microseconds of the server clock, so processes with
// skewed clocks still agree); it expires when it would be full again, which
// is the same as absent, so idle keys vanish.
//
// It returns {allowed, then per key: whole tokens left, µs until enough
// tokens (0 unless this key refused), µs until full}.
var bucketScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local cost = tonumber(ARGV[1])
local level, stamp = {}, {}
local allowed = 1
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2*i]) / 1000000
  local burst = tonumber(ARGV[2*i+1])
  local h = redis.call('HMGET', KEYS[i], 'tk', 'ts')
  local tk, ts = tonumber(h[1]), tonumber(h[2])
  if not tk or not ts then
    tk, ts = burst, now
  elseif now > ts then
    tk, ts = math.min(burst, tk + (now - ts) * rate), now
  end
  level[i], stamp[i] = tk, ts
  if tk < cost then allowed = 0 end
end
local out = {allowed}
for i = 1, #KEYS do
  local rate = tonumber(ARGV[2*i]) / 1000000
  local burst = tonumber(ARGV[2*i+1])
  local tk, retry = level[i], 0
  if allowed == 1 then
    tk = tk - cost
    redis.call('HSET', KEYS[i], 'tk', string.format('%.17g', tk), 'ts', string.format('%.17g', stamp[i]))
    redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((burst - tk) / rate / 1000)))
  elseif tk < cost then
    retry = math.ceil((cost - tk) / rate)
  end
  out[#out+1] = math.floor(tk)
  out[#out+1] = retry
  out[#out+1] = math.ceil((burst - tk) / rate)
end
return out
`)

// bucket is one key's part of the script's answer.
type bucket struct {
	remaining  int
	retryAfter time.Duration
	reset      time.Duration
}

type result struct {
	allowed bool
	buckets []bucket
}

// runBuckets runs bucketScript through the batcher.
func runBuckets(ctx context.Context, b *batcher, keys []string, rules []Rule, cost int) (result, error) {
	args := make([]any, 0, 1+2*len(rules))
	args = append(args, cost)
	for _, r := range rules {
		args = append(args, strconv.FormatFloat(r.Rate, 'g', -1, 64), r.Burst)
	}
	c := &call{keys: keys, args: args}
	b.do(ctx, c)
	v, err := c.res, c.err
	if err != nil {
		return result{}, fmt.Errorf("ratelimit: bucket script: %w", err)
	}
	if len(v) != 1+3*len(keys) {
		return result{}, fmt.Errorf("ratelimit: bucket script returned %d values for %d keys", len(v), len(keys))
	}
	res := result{allowed: v[0] == 1, buckets: make([]bucket, len(keys))}
	for i := range keys {
		w := v[1+3*i:]
		res.buckets[i] = bucket{int(w[0]), time.Duration(w[1]) * time.Microsecond, time.Duration(w[2]) * time.Microsecond}
	}
	return res, nil
}

// merge reports the most restrictive bucket: when refused, the one that
// makes the caller wait longest; when allowed, the one closest to empty.
func merge(res result, rules []Rule) Decision {
	best := -1
	for i, b := range res.buckets {
		if best < 0 || worse(res.allowed, b, res.buckets[best]) {
			best = i
		}
	}
	b := res.buckets[best]
	d := Decision{Allowed: res.allowed, Remaining: b.remaining, Limit: rules[best].Burst, Reset: b.reset}
	if !res.allowed {
		d.RetryAfter = b.retryAfter
	}
	return d
}

func worse(allowed bool, a, b bucket) bool {
	if !allowed && a.retryAfter != b.retryAfter {
		return a.retryAfter > b.retryAfter
	}
	if a.remaining != b.remaining {
		return a.remaining < b.remaining
	}
	return a.reset > b.reset
}

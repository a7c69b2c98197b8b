package ratelimit

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"sync"
	"time"
)

// The in-process buckets of the embedded mode. There nyxCore is one
// process by definition (its data plane is a SQLite file it holds alone),
// so a bucket map in memory is as exact as Redis and shared by every
// request: it replaces bucketScript on kv's in-process miniredis, whose
// Lua interpreter topped out at 2–3k decisions a second and, under load,
// timed callers out so they failed open. Production, with several
// processes, keeps bucketScript on a real Redis.
//
// The arithmetic is bucketScript's, step for step, in float64 as Lua's
// numbers are, on a microsecond clock: the same sequence of calls at the
// same instants gets the same decisions (TestLocalMatchesScript).
const (
	localShards = 32
	// localMaxBuckets bounds the map (about 100 bytes a bucket). Expired
	// (refilled) buckets are dropped first, which changes no decision; see evict.
	localMaxBuckets = 1 << 18
)

// level is a bucket's tokens tk at time ts, and the time it expires (all
// µs on local's clock): bucketScript's hash and its PEXPIRE, rounded up to
// the millisecond as the script's is. An expired bucket is absent, i.e. full.
type level struct {
	tk      float64
	ts      int64
	expires int64
}

type shard struct {
	mu sync.Mutex
	m  map[string]level
}

// local holds token buckets in memory. It is safe for concurrent use.
type local struct {
	now      func() int64 // µs, monotonic
	seed     maphash.Seed
	perShard int
	shards   [localShards]shard
}

func newLocal(now func() int64, maxBuckets int) *local {
	if now == nil {
		base := time.Now()
		now = func() int64 { return time.Since(base).Microseconds() }
	}
	l := &local{now: now, seed: maphash.MakeSeed(), perShard: max(1, maxBuckets/localShards)}
	for i := range l.shards {
		l.shards[i].m = map[string]level{}
	}
	return l
}

// take is bucketScript in Go: every bucket is checked, and charged only if
// all hold cost tokens. The shards of the keys are locked in index order,
// so concurrent multi-key calls cannot deadlock, and the decision is
// atomic as the script's is.
func (l *local) take(keys []string, rules []Rule, cost int) result {
	idx := make([]int, len(keys))
	for i, k := range keys {
		idx[i] = int(maphash.String(l.seed, k) % localShards)
	}
	locked := slices.Clone(idx)
	slices.Sort(locked)
	locked = slices.Compact(locked)
	for _, s := range locked {
		l.shards[s].mu.Lock()
	}
	defer func() {
		for _, s := range locked {
			l.shards[s].mu.Unlock()
		}
	}()

	now := l.now()
	levels := make([]level, len(keys))
	allowed := true
	for i, k := range keys {
		levels[i] = refill(l.shards[idx[i]].m, k, rules[i], now)
		if levels[i].tk < float64(cost) {
			allowed = false
		}
	}
	res := result{allowed: allowed, buckets: make([]bucket, len(keys))}
	for i, k := range keys {
		rate, burst := rules[i].Rate/1e6, float64(rules[i].Burst)
		lv, retry := levels[i], 0.0
		if allowed {
			lv.tk -= float64(cost)
			lv.expires = now + 1000*int64(math.Max(1, math.Ceil((burst-lv.tk)/rate/1000)))
			l.store(idx[i], k, lv, now)
		} else if lv.tk < float64(cost) {
			retry = math.Ceil((float64(cost) - lv.tk) / rate)
		}
		res.buckets[i] = bucket{
			remaining:  int(math.Floor(lv.tk)),
			retryAfter: time.Duration(retry) * time.Microsecond,
			reset:      time.Duration(math.Ceil((burst-lv.tk)/rate)) * time.Microsecond,
		}
	}
	return res
}

// refill is a bucket's level at now: full when absent or expired.
func refill(m map[string]level, key string, r Rule, now int64) level {
	lv, ok := m[key]
	burst := float64(r.Burst)
	switch {
	case !ok || now >= lv.expires:
		return level{tk: burst, ts: now}
	case now > lv.ts:
		return level{tk: math.Min(burst, lv.tk+float64(now-lv.ts)*(r.Rate/1e6)), ts: now}
	}
	return lv
}

// store saves a charged bucket, making room first when the shard is full.
func (l *local) store(s int, key string, lv level, now int64) {
	sh := &l.shards[s]
	if _, ok := sh.m[key]; !ok && len(sh.m) >= l.perShard {
		l.evict(sh, now)
	}
	sh.m[key] = lv
}

// evict makes room in a full shard. An expired bucket is the same as an
// absent one, so those go first and change no decision. If that frees less than a quarter
// of the shard — a flood of distinct keys, each charged recently — the
// buckets nearest to expiry go too, down to three quarters: memory stays
// bounded, at the price of forgetting a little of the quietest clients'
// use, never the busiest ones'. Freeing a quarter at a time keeps the sort
// amortised over many inserts.
func (l *local) evict(sh *shard, now int64) {
	for k, lv := range sh.m {
		if lv.expires <= now {
			delete(sh.m, k)
		}
	}
	keep := l.perShard * 3 / 4
	if len(sh.m) <= keep {
		return
	}
	type entry struct {
		key     string
		expires int64
	}
	all := make([]entry, 0, len(sh.m))
	for k, lv := range sh.m {
		all = append(all, entry{k, lv.expires})
	}
	slices.SortFunc(all, func(a, b entry) int { return cmp.Compare(a.expires, b.expires) })
	for _, e := range all[:len(all)-keep] {
		delete(sh.m, e.key)
	}
}

// len counts the buckets held, for tests.
func (l *local) len() int {
	n := 0
	for i := range l.shards {
		l.shards[i].mu.Lock()
		n += len(l.shards[i].m)
		l.shards[i].mu.Unlock()
	}
	return n
}

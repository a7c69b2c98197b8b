// Package revocation carries realtime revocations between the processes
// that share one Redis, so that a member removed (or an account deleted,
// or signed out everywhere) through one process loses the streams they
// hold open on every other process within a second, not just on the
// process that handled the change.
//
// Revocations travel in a capped Redis stream rather than over pub/sub: a
// process whose connection to Redis drops reads what it missed when it
// reconnects instead of losing it.
package revocation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nyxcore/nyxcore/app/realtime"
)

const (
	// StreamKey is the Redis stream revocations are appended to.
	StreamKey = "nyx:revocations"
	// maxLen caps the stream (approximately): a process that is away for
	// longer than this many revocations has lost its streams' connections
	// long since.
	maxLen = 10_000
	// block bounds one XREAD, and so how long Close waits for the reader.
	block = time.Second
)

// Bus is a realtime.Revoker shared by every process on one Redis: Revoke
// ends the matching streams of this process's hub at once and appends the
// revocation to the stream, and every other process's Bus applies it to
// its own hub as it arrives. It is safe for concurrent use.
type Bus struct {
	hub    *realtime.Hub
	rdb    *redis.Client
	origin string // this Bus's id: its own revocations are applied once, locally
	logf   func(msg string, args ...any)
	cancel context.CancelFunc
	done   chan struct{}
}

// Start applies to hub every revocation appended to the stream from now
// on, until Close. logf reports Redis errors (rate-limited by the retry
// delay); it must be safe for concurrent use.
func Start(ctx context.Context, hub *realtime.Hub, rdb *redis.Client, logf func(msg string, args ...any)) (*Bus, error) {
	last, err := newest(ctx, rdb)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 8)
	rand.Read(id)
	bg, cancel := context.WithCancel(context.Background())
	b := &Bus{hub: hub, rdb: rdb, origin: hex.EncodeToString(id), logf: logf, cancel: cancel, done: make(chan struct{})}
	go b.run(bg, last)
	return b, nil
}

// newest returns the id of the stream's newest entry, "0-0" when it is
// empty, so the reader starts after everything already there.
func newest(ctx context.Context, rdb *redis.Client) (string, error) {
	msgs, err := rdb.XRevRangeN(ctx, StreamKey, "+", "-", 1).Result()
	if err != nil {
		return "", fmt.Errorf("revocation: read %s: %w", StreamKey, err)
	}
	if len(msgs) == 0 {
		return "0-0", nil
	}
	return msgs[0].ID, nil
}

// Revoke ends the matching streams of this process, then hands r to the
// other processes. An invalid r is refused before anything is sent.
func (b *Bus) Revoke(ctx context.Context, r realtime.Revocation) error {
	if err := b.hub.Revoke(ctx, r); err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("revocation: encode: %w", err)
	}
	err = b.rdb.XAdd(ctx, &redis.XAddArgs{Stream: StreamKey, MaxLen: maxLen, Approx: true,
		Values: map[string]any{"origin": b.origin, "r": data}}).Err()
	if err != nil {
		return fmt.Errorf("revocation: publish to other processes: %w", err)
	}
	return nil
}

// Close stops applying revocations; it waits for the reader, at most about
// a second. It is idempotent.
func (b *Bus) Close() {
	b.cancel()
	<-b.done
}

func (b *Bus) run(ctx context.Context, last string) {
	defer close(b.done)
	for ctx.Err() == nil {
		res, err := b.rdb.XRead(ctx, &redis.XReadArgs{Streams: []string{StreamKey, last}, Count: 100, Block: block}).Result()
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, redis.Nil): // nothing within block
			continue
		case err != nil:
			b.logf("nyx: revocations from other processes: read", "error", err.Error())
			sleep(ctx, time.Second)
			continue
		}
		for _, s := range res {
			for _, m := range s.Messages {
				last = m.ID
				b.apply(ctx, m)
			}
		}
	}
}

func (b *Bus) apply(ctx context.Context, m redis.XMessage) {
	if m.Values["origin"] == b.origin {
		return
	}
	raw, _ := m.Values["r"].(string)
	var r realtime.Revocation
	if err := json.Unmarshal([]byte(raw), &r); err != nil {
		b.logf("nyx: revocations from other processes: skip a malformed entry", "id", m.ID, "error", err.Error())
		return
	}
	if err := b.hub.Revoke(ctx, r); err != nil {
		b.logf("nyx: revocations from other processes: skip an entry", "id", m.ID, "error", err.Error())
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

var _ realtime.Revoker = (*Bus)(nil)

// Package realtime is nyxCore's in-process hub that streams discussion
// tokens and tenant activity to browsers over Server-Sent Events.
//
// Topics are opaque strings (by convention "t:<tenantID>:discussion:<id>"
// and "t:<tenantID>:activity"). The hub never checks access: the caller
// authorizes a request before it calls Subscribe or ServeSSE. A subscription
// made with SubscribeAs or ServeSSEAs has an Owner (user, tenant, required
// role, credential) and ends when Revoke takes that access away or the
// credential expires.
//
// Every topic numbers its events and keeps the last Options.RingSize of them,
// so a reconnecting client that sends Last-Event-ID gets what it missed, or a
// "reset" event telling it to refetch state when that is no longer possible.
// Each subscriber has a bounded buffer; one that falls behind is dropped (and
// may resume) instead of slowing the publisher or the other subscribers.
package realtime

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Event types the hub itself produces. Callers choose their own for Publish.
const (
	TypeDelta   = "delta"   // coalesced PublishDelta text: {"key":…,"text":…}
	TypeReset   = "reset"   // replay impossible: refetch state, then follow live events
	TypeDropped = "dropped" // SSE only: the subscriber fell behind and must reconnect
)

var (
	// ErrClosed is returned by Publish, Subscribe and ServeSSE once the hub is closed.
	ErrClosed = errors.New("realtime: hub closed")
	// ErrDropped is returned by ServeSSE when the subscriber fell behind and
	// was dropped; the client reconnects with its Last-Event-ID.
	ErrDropped = errors.New("realtime: subscriber dropped")
	// ErrRevoked is returned by ServeSSEAs when the stream ended because
	// its owner's access was revoked or its credential expired.
	ErrRevoked = errors.New("realtime: access revoked")
)

// Options tunes a Hub. Zero or negative fields take their defaults.
type Options struct {
	SubscriberBuffer int           // events buffered per subscriber before it is dropped (default 256)
	RingSize         int           // events kept per topic for replay (default 1024)
	Coalesce         time.Duration // delta coalescing window (default 40ms)
	Heartbeat        time.Duration // SSE comment heartbeat interval (default 15s)
	TopicIdle        time.Duration // a topic with no subscribers and no events for this long is freed (default 10m)
	WriteTimeout     time.Duration // an SSE write blocked this long ends the stream (default 10s)
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.SubscriberBuffer, 256)
	def(&o.RingSize, 1024)
	defd(&o.Coalesce, 40*time.Millisecond)
	defd(&o.Heartbeat, 15*time.Second)
	defd(&o.TopicIdle, 10*time.Minute)
	defd(&o.WriteTimeout, 10*time.Second)
	return o
}

// Event is one numbered message on a topic. Subscribers receive pointers to
// one shared Event, which keeps fan-out and each subscriber's buffer small:
// treat it, and its Data, as read-only.
type Event struct {
	ID   string // "<epoch>-<seq>": epoch identifies the hub instance, seq grows by 1 per event of a topic
	Type string // e.g. "message", "delta", "status", "reset"
	Data json.RawMessage
}

// Stats is a snapshot of the hub for tests and metrics.
type Stats struct {
	Topics      int    // topics held in memory
	Subscribers int    // live subscriptions
	Dropped     uint64 // subscriptions dropped for overflowing their buffer since New
}

func formatID(epoch string, seq uint64) string {
	return epoch + "-" + strconv.FormatUint(seq, 10)
}

// parseID splits "<epoch>-<seq>"; ok is false for anything malformed.
func parseID(id string) (epoch string, seq uint64, ok bool) {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(id[i+1:], 10, 64)
	return id[:i], seq, err == nil
}

// Package audit keeps each tenant's tamper-evident record of
// security-relevant actions. Every entry carries an HMAC-SHA256 over its
// canonical encoding and the previous entry's MAC, keyed by a key derived
// from the master key, which never touches the database: changing,
// removing or reordering a row breaks the chain from there on, and a
// database writer cannot recompute the MACs. Signed checkpoints of each
// chain's head, written outside the data plane, catch what a chain cannot
// show by itself: its last entries, or all of them, deleted.
package audit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// Encoding tags version the canonical encoding. v1 is the unkeyed SHA-256
// chain of earlier releases, kept only to verify chains before they are
// re-sealed (see Reseal); v2 is keyed.
const (
	legacyTag   = "nyxcore/audit/v1"
	encodingTag = "nyxcore/audit/v2"
	// macPrefix marks a v2 MAC in the hash column; a v1 hash is bare hex.
	macPrefix = "v2:"
)

// LegacySeal returns the v1 hash of e: hex SHA-256 over the v1 tag and
// every field. Anyone can compute it, so it proves nothing against a
// database writer; it exists to verify chains written before v2.
func LegacySeal(e *store.AuditEntry) string {
	return hex.EncodeToString(encode(sha256.New(), legacyTag, e))
}

// encode writes the tag and every field of e into h, each length-prefixed
// so no two entries encode alike, ending with the previous entry's hash.
func encode(h hash.Hash, tag string, e *store.AuditEntry) []byte {
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{tag, e.TenantID, strconv.FormatInt(e.Seq, 10), e.ID,
		e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID,
		e.IP, e.UserAgent, string(e.Details), e.PrevHash} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write([]byte(f))
	}
	return h.Sum(nil)
}

// isLegacy reports whether a stored hash is a v1 (unkeyed) one.
func isLegacy(hash string) bool { return !strings.HasPrefix(hash, macPrefix) }

// Entry is what a caller records; the chain fields are filled in.
type Entry struct {
	TenantID   string
	ActorID    string
	ActorEmail string
	Action     string
	TargetType string
	TargetID   string
	IP         string
	UserAgent  string
	Details    map[string]any
}

// Log appends entries, sealed under its keys. It is safe for concurrent
// use. It remembers which tenants it appended to since the last
// checkpoint, so a Checkpointer signs only chains that moved.
type Log struct {
	st    store.AuditStore
	keys  *Keys
	mu    sync.Mutex
	dirty map[string]bool
}

// New returns a Log over st that seals entries under keys.
func New(st store.AuditStore, keys *Keys) *Log {
	return &Log{st: st, keys: keys, dirty: map[string]bool{}}
}

// Record appends e to its tenant's chain.
func (l *Log) Record(ctx context.Context, e Entry) error {
	details, err := json.Marshal(e.Details)
	if err != nil || e.Details == nil {
		details = []byte("{}")
	}
	_, err = l.st.AppendAudit(ctx, store.AuditEntry{TenantID: e.TenantID, At: time.Now(), ActorID: e.ActorID, ActorEmail: e.ActorEmail,
		Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, IP: truncate(e.IP, 64), UserAgent: truncate(e.UserAgent, 512),
		Details: details}, l.keys.Seal)
	if err == nil {
		l.mu.Lock()
		l.dirty[e.TenantID] = true
		l.mu.Unlock()
	}
	return err
}

// takeDirty returns and forgets the tenants appended to since the last call.
func (l *Log) takeDirty() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.dirty))
	for id := range l.dirty {
		out = append(out, id)
	}
	clear(l.dirty)
	return out
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// BrokenError names the first row where a chain does not hold, or the
// checkpoint it contradicts.
type BrokenError struct {
	TenantID string
	Seq      int64
	EntryID  string      // "" when the entry does not exist (deleted)
	Check    *Checkpoint // the checkpoint contradicted, if that is how it broke
	Reason   string
}

// Error says where and why the chain broke.
func (b *BrokenError) Error() string {
	where := fmt.Sprintf("entry %d", b.Seq)
	if b.EntryID != "" {
		where += " (id " + b.EntryID + ")"
	}
	if b.Check != nil {
		where += fmt.Sprintf(", against checkpoint seq %d of %s", b.Check.Seq, b.Check.At.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("audit chain of tenant %s is broken at %s: %s", b.TenantID, where, b.Reason)
}

// ErrBroken matches every *BrokenError.
var ErrBroken = errors.New("audit chain broken")

// Is makes errors.Is(err, ErrBroken) true.
func (b *BrokenError) Is(target error) bool { return target == ErrBroken }

// Keys are the audit log's two HMAC keys, derived from the master key (see
// secret.Master.AuditKeys): chain MACs entries, checkpoint signs
// checkpoints.
type Keys struct {
	chain, checkpoint []byte
}

// NewKeys returns Keys from the two derived keys.
func NewKeys(chain, checkpoint []byte) *Keys {
	return &Keys{chain: append([]byte(nil), chain...), checkpoint: append([]byte(nil), checkpoint...)}
}

// Seal returns the v2 MAC of e: HMAC-SHA256 under the chain key over the
// v2 tag, every field and the previous entry's MAC, as "v2:<hex>".
func (k *Keys) Seal(e *store.AuditEntry) string {
	return macPrefix + hex.EncodeToString(encode(hmac.New(sha256.New, k.chain), encodingTag, e))
}

// sealed reports whether e's stored MAC is its v2 MAC, in constant time.
func (k *Keys) sealed(e *store.AuditEntry) bool {
	return hmac.Equal([]byte(k.Seal(e)), []byte(e.Hash))
}

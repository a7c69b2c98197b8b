// Package audit keeps each tenant's tamper-evident record of
// security-relevant actions: every entry carries a SHA-256 hash over its
// canonical encoding and the previous entry's hash, so changing, removing
// or reordering any row breaks the chain from there on, and Verify names
// the first broken row.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// encodingTag versions the canonical encoding; a new encoding would start
// with a new tag so old chains still verify.
const encodingTag = "nyxcore/audit/v1"

// Seal returns the hash of e: hex SHA-256 over the tag and every field,
// each length-prefixed so no two entries encode alike, ending with the
// previous entry's hash.
func Seal(e *store.AuditEntry) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	for _, f := range []string{encodingTag, e.TenantID, strconv.FormatInt(e.Seq, 10), e.ID,
		e.At.UTC().Format(time.RFC3339Nano), e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID,
		e.IP, e.UserAgent, string(e.Details), e.PrevHash} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

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

// Log appends entries. It is safe for concurrent use.
type Log struct {
	st store.AuditStore
}

// New returns a Log over st.
func New(st store.AuditStore) *Log { return &Log{st: st} }

// Record appends e to its tenant's chain.
func (l *Log) Record(ctx context.Context, e Entry) error {
	details, err := json.Marshal(e.Details)
	if err != nil || e.Details == nil {
		details = []byte("{}")
	}
	_, err = l.st.AppendAudit(ctx, store.AuditEntry{TenantID: e.TenantID, At: time.Now(), ActorID: e.ActorID, ActorEmail: e.ActorEmail,
		Action: e.Action, TargetType: e.TargetType, TargetID: e.TargetID, IP: truncate(e.IP, 64), UserAgent: truncate(e.UserAgent, 512),
		Details: details}, Seal)
	return err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// BrokenError names the first row where a chain does not hold.
type BrokenError struct {
	TenantID string
	Seq      int64
	Reason   string
}

// Error says where and why the chain broke.
func (b *BrokenError) Error() string {
	return fmt.Sprintf("audit chain of tenant %s is broken at entry %d: %s", b.TenantID, b.Seq, b.Reason)
}

// ErrBroken matches every *BrokenError.
var ErrBroken = errors.New("audit chain broken")

// Is makes errors.Is(err, ErrBroken) true.
func (b *BrokenError) Is(target error) bool { return target == ErrBroken }

// Verify recomputes the tenant's chain and returns how many entries it
// checked, or a *BrokenError for the first entry that does not hold.
func Verify(ctx context.Context, st store.AuditStore, tenantID string) (int, error) {
	n, prev := 0, ""
	err := st.ChainAudit(ctx, tenantID, func(e store.AuditEntry) error {
		n++
		switch {
		case e.Seq != int64(n):
			return &BrokenError{TenantID: tenantID, Seq: e.Seq, Reason: fmt.Sprintf("expected entry %d: an entry is missing", n)}
		case e.PrevHash != prev:
			return &BrokenError{TenantID: tenantID, Seq: e.Seq, Reason: "it does not point at the previous entry's hash"}
		case Seal(&e) != e.Hash:
			return &BrokenError{TenantID: tenantID, Seq: e.Seq, Reason: "its content does not match its hash (altered)"}
		}
		prev = e.Hash
		return nil
	})
	return n, err
}

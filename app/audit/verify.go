package audit

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// Verify recomputes the tenant's chain under k and holds it against the
// tenant's checkpoints (any number, any order; checked signatures only,
// see Keys.Valid). It returns how many entries it checked, or a
// *BrokenError for the first entry that does not hold or the checkpoint
// the chain contradicts: an entry missing or altered, one sealed with the
// unkeyed v1 encoding, a MAC at a checkpointed seq that differs from the
// checkpoint's head, or a chain shorter than a checkpoint says (its tail
// or all of it deleted).
func Verify(ctx context.Context, st store.AuditStore, k *Keys, tenantID string, checks []Checkpoint) (int, error) {
	at := map[int64][]Checkpoint{}
	var last *Checkpoint
	for i, c := range checks {
		at[c.Seq] = append(at[c.Seq], c)
		if last == nil || c.Seq > last.Seq {
			last = &checks[i]
		}
	}
	n, prev := 0, ""
	err := st.ChainAudit(ctx, tenantID, func(e store.AuditEntry) error {
		n++
		if err := k.check(&e, int64(n), prev); err != nil {
			return err
		}
		for _, c := range at[e.Seq] {
			if subtle.ConstantTimeCompare([]byte(c.Head), []byte(e.Hash)) != 1 {
				return &BrokenError{TenantID: tenantID, Seq: e.Seq, EntryID: e.ID, Check: &c,
					Reason: "its MAC differs from the head the checkpoint signed (entries replaced since)"}
			}
		}
		prev = e.Hash
		return nil
	})
	if err != nil || last == nil || last.Seq <= int64(n) {
		return n, err
	}
	reason := fmt.Sprintf("the chain ends at entry %d but a checkpoint signed at %s saw it reach entry %d: entries were deleted",
		n, last.At.UTC().Format(time.RFC3339), last.Seq)
	if n == 0 {
		reason = fmt.Sprintf("the tenant has no audit entries at all but a checkpoint saw %d: the log was wiped", last.Seq)
	}
	return n, &BrokenError{TenantID: tenantID, Seq: int64(n) + 1, Check: last, Reason: reason}
}

// check holds one entry, expected at position seq after prev, to the v2 chain.
func (k *Keys) check(e *store.AuditEntry, seq int64, prev string) error {
	broken := func(reason string) error {
		return &BrokenError{TenantID: e.TenantID, Seq: e.Seq, EntryID: e.ID, Reason: reason}
	}
	switch {
	case e.Seq != seq:
		return broken(fmt.Sprintf("expected entry %d: an entry is missing", seq))
	case e.PrevHash != prev:
		return broken("it does not point at the previous entry's MAC")
	case isLegacy(e.Hash):
		return broken("it carries an unkeyed v1 hash: rewritten without the master key, or a chain not yet re-sealed (run `nyxcore db migrate`)")
	case !k.sealed(e):
		return broken("its content does not match its MAC (altered, or sealed under another key)")
	}
	return nil
}

// Chains is what VerifyAll reads: the audit log and the tenant registry.
type Chains interface {
	store.AuditStore
	TenantIDs(ctx context.Context) ([]string, error)
}

// TenantResult is the verification of one tenant's chain.
type TenantResult struct {
	Tenant      string
	Deleted     bool // the tenant is gone; its log outlives it
	Entries     int
	Checkpoints int
	Err         error // a *BrokenError, or nil when the chain holds
}

// VerifyAll verifies every chain: of each tenant id in the audit table
// itself (so deleted tenants' logs too), of each live tenant, and of each
// tenant a checkpoint names, whose log may be gone altogether. checks are
// validly signed checkpoints by tenant. Only a failure to read is returned
// as the error; broken chains are in the results.
func VerifyAll(ctx context.Context, st Chains, k *Keys, checks map[string][]Checkpoint) ([]TenantResult, error) {
	ids, err := st.AuditTenantIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: verify: %w", err)
	}
	live, err := st.TenantIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: verify: %w", err)
	}
	ids = append(ids, live...)
	for id := range checks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []TenantResult
	for _, id := range slices.Compact(ids) {
		n, err := Verify(ctx, st, k, id, checks[id])
		if err != nil && !errors.Is(err, ErrBroken) {
			return out, err
		}
		out = append(out, TenantResult{Tenant: id, Deleted: !slices.Contains(live, id), Entries: n, Checkpoints: len(checks[id]), Err: err})
	}
	return out, nil
}

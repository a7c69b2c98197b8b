package audit

import (
	"context"
	"errors"
	"fmt"

	"github.com/nyxcore/nyxcore/app/store"
)

// Reseal migrates the tenant's chain to the keyed v2 encoding. It first
// holds the whole chain as written — v1 entries to their unkeyed hashes,
// v2 entries (appended by this release before the migration) to their
// MACs — and only when all of it holds re-seals every entry under k; a
// chain that does not hold is refused with a *BrokenError and left as it
// is, still failing Verify. A chain already all v2 is left alone. It
// returns how many entries it re-sealed.
//
// A v1 chain is unkeyed, so Reseal cannot tell a v1 chain from one a
// database writer forged before the migration: re-seal right after
// upgrading. Later, a chain rewritten as v1 is caught by the checkpoints
// signed before the rewrite (the MAC at their seq changes).
func Reseal(ctx context.Context, st store.AuditStore, k *Keys, tenantID string) (int, error) {
	var n int64
	oldPrev, newPrev, keyed := "", "", false
	return st.ResealAudit(ctx, tenantID, func(e *store.AuditEntry) error {
		n++
		broken := func(reason string) error {
			return &BrokenError{TenantID: tenantID, Seq: e.Seq, EntryID: e.ID, Reason: reason + "; the chain is not re-sealed"}
		}
		switch legacy := isLegacy(e.Hash); {
		case e.Seq != n:
			return broken(fmt.Sprintf("expected entry %d: an entry is missing", n))
		case e.PrevHash != oldPrev:
			return broken("it does not point at the previous entry's hash")
		case legacy && keyed:
			return broken("an unkeyed v1 entry follows a keyed one (downgraded)")
		case legacy && LegacySeal(e) != e.Hash:
			return broken("its content does not match its v1 hash (altered)")
		case !legacy && !k.sealed(e):
			return broken("its content does not match its MAC (altered, or sealed under another key)")
		case !legacy:
			keyed = true
		}
		oldPrev = e.Hash
		e.PrevHash = newPrev
		e.Hash = k.Seal(e)
		newPrev = e.Hash
		return nil
	})
}

// ResealAll re-seals every chain in the audit table, deleted tenants'
// too. It goes on past a refused chain and calls report once per tenant
// with what Reseal returned; the error joins every refusal and failure.
func ResealAll(ctx context.Context, st store.AuditStore, k *Keys, report func(tenantID string, n int, err error)) error {
	ids, err := st.AuditTenantIDs(ctx)
	if err != nil {
		return fmt.Errorf("audit: reseal: %w", err)
	}
	var all error
	for _, id := range ids {
		n, err := Reseal(ctx, st, k, id)
		if report != nil {
			report(id, n, err)
		}
		all = errors.Join(all, err)
	}
	return all
}

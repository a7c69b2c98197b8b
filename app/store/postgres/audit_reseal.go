package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// AuditTenantIDs lists every tenant id with audit entries, deleted
// tenants too, through nyx_audit_tenant_ids(): the runtime role learns
// ids only, never another tenant's entries.
func (db *DB) AuditTenantIDs(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT nyx_audit_tenant_ids()`)
	if err != nil {
		return nil, mapErr("audit tenant ids", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, mapErr("audit tenant ids", err)
}

// ResealAudit rewrites the tenant's chain in one tenant transaction under
// the same advisory lock AppendAudit takes, so no entry is appended to the
// old chain meanwhile. Only the owner may UPDATE audit_log: as the
// runtime role it fails with permission denied and changes nothing.
func (db *DB) ResealAudit(ctx context.Context, tenantID string, reseal func(*store.AuditEntry) error) (int, error) {
	changed := 0
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('nyx:audit:' || $1, 0))`, tenantID); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = $1 ORDER BY seq`, tenantID)
		if err != nil {
			return err
		}
		chain, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AuditEntry, error) { return scanAudit(r) })
		if err != nil {
			return err
		}
		for i := range chain {
			e := chain[i]
			if err := reseal(&e); err != nil {
				return err
			}
			if e.PrevHash == chain[i].PrevHash && e.Hash == chain[i].Hash {
				continue
			}
			if _, err := tx.Exec(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE tenant_id = $3 AND seq = $4`,
				e.PrevHash, e.Hash, tenantID, e.Seq); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, mapErr("reseal audit", err)
	}
	return changed, nil
}

package sqlite

import (
	"context"
	"database/sql"

	"github.com/nyxcore/nyxcore/app/store"
)

// auditNoUpdate is the append-only trigger of migration 0004, recreated
// word for word after a reseal.
const auditNoUpdate = `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`

// AuditTenantIDs lists every tenant id with audit entries, deleted tenants too.
func (db *DB) AuditTenantIDs(ctx context.Context) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT DISTINCT tenant_id FROM audit_log ORDER BY tenant_id`)
	if err != nil {
		return nil, mapErr("audit tenant ids", err)
	}
	ids, err := collectStrings(rows)
	return ids, mapErr("audit tenant ids", err)
}

// ResealAudit rewrites the tenant's chain in one write transaction. The
// no-update trigger is dropped and recreated inside it: SQLite DDL is
// transactional, so no other connection ever sees the table without it.
func (db *DB) ResealAudit(ctx context.Context, tenantID string, reseal func(*store.AuditEntry) error) (int, error) {
	changed := 0
	err := db.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = ? ORDER BY seq`, tenantID)
		if err != nil {
			return err
		}
		chain, err := collectAudit(rows, "reseal audit")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS audit_log_no_update`); err != nil {
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
			if _, err := tx.ExecContext(ctx, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE tenant_id = ? AND seq = ?`,
				e.PrevHash, e.Hash, tenantID, e.Seq); err != nil {
				return err
			}
			changed++
		}
		_, err = tx.ExecContext(ctx, auditNoUpdate)
		return err
	})
	if err != nil {
		return 0, mapErr("reseal audit", err)
	}
	return changed, nil
}

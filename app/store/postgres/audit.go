package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const auditColumns = `tenant_id, seq, id, at, actor_id, actor_email, action, target_type, target_id, ip, user_agent, details, prev_hash, hash`

func scanAudit(row pgx.Row) (store.AuditEntry, error) {
	var e store.AuditEntry
	var details string
	err := row.Scan(&e.TenantID, &e.Seq, &e.ID, &e.At, &e.ActorID, &e.ActorEmail, &e.Action, &e.TargetType, &e.TargetID,
		&e.IP, &e.UserAgent, &details, &e.PrevHash, &e.Hash)
	e.Details, e.At = json.RawMessage(details), e.At.UTC()
	return e, err
}

// AppendAudit appends to the tenant's chain under a transaction-scoped
// advisory lock: the runtime role may only insert, so it cannot lock rows.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry, seal func(*store.AuditEntry) string) (*store.AuditEntry, error) {
	err := db.withTenantTx(ctx, e.TenantID, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('nyx:audit:' || $1, 0))`, e.TenantID); err != nil {
			return err
		}
		e.Seq, e.PrevHash = 1, ""
		err := tx.QueryRow(ctx, `SELECT seq + 1, hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, e.TenantID).Scan(&e.Seq, &e.PrevHash)
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		e.ID, e.At = store.IDOrNew(e.ID), e.At.UTC().Truncate(time.Microsecond)
		if len(e.Details) == 0 {
			e.Details = json.RawMessage("{}")
		}
		e.Hash = seal(&e)
		_, err = tx.Exec(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			e.TenantID, e.Seq, e.ID, e.At, e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, e.IP, e.UserAgent, string(e.Details), e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return nil, mapErr("append audit", err)
	}
	return &e, nil
}

// ListAudit returns the tenant's entries newest first, filtered.
func (db *DB) ListAudit(ctx context.Context, tenantID string, f store.FindAudit) ([]store.AuditEntry, error) {
	out := []store.AuditEntry{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = $1
		AND ($2 = '' OR action = $2) AND ($3 = '' OR actor_id = $3)
		AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
		AND ($6 = 0 OR seq < $6) ORDER BY seq DESC LIMIT $7`,
		[]any{tenantID, f.Action, f.ActorID, timeOrNil(f.Since), timeOrNil(f.Until), f.Before, max(f.Limit, 1)},
		func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AuditEntry, error) { return scanAudit(r) })
			return err
		})
	return out, mapErr("list audit", err)
}

// ChainAudit visits the tenant's chain in order, a page at a time.
func (db *DB) ChainAudit(ctx context.Context, tenantID string, visit func(store.AuditEntry) error) error {
	after := int64(0)
	for {
		var page []store.AuditEntry
		err := db.queryTenant(ctx, tenantID, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`,
			[]any{tenantID, after}, func(rows pgx.Rows) error {
				var err error
				page, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AuditEntry, error) { return scanAudit(r) })
				return err
			})
		if err != nil {
			return mapErr("chain audit", err)
		}
		for _, e := range page {
			if err := visit(e); err != nil {
				return err
			}
			after = e.Seq
		}
		if len(page) < 1000 {
			return nil
		}
	}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

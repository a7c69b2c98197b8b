package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

const auditColumns = `tenant_id, seq, id, at, actor_id, actor_email, action, target_type, target_id, ip, user_agent, details, prev_hash, hash`

func scanAudit(row scanner) (store.AuditEntry, error) {
	var e store.AuditEntry
	var details, at string
	err := row.Scan(&e.TenantID, &e.Seq, &e.ID, &at, &e.ActorID, &e.ActorEmail, &e.Action, &e.TargetType, &e.TargetID,
		&e.IP, &e.UserAgent, &details, &e.PrevHash, &e.Hash)
	e.Details, e.At = json.RawMessage(details), parseTime(at)
	return e, err
}

// AppendAudit appends to the tenant's chain inside the single writer.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry, seal func(*store.AuditEntry) string) (*store.AuditEntry, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		e.Seq, e.PrevHash = 1, ""
		err := tx.QueryRowContext(ctx, `SELECT seq + 1, hash FROM audit_log WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1`, e.TenantID).Scan(&e.Seq, &e.PrevHash)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		e.ID, e.At = store.IDOrNew(e.ID), e.At.UTC().Truncate(time.Microsecond)
		if len(e.Details) == 0 {
			e.Details = json.RawMessage("{}")
		}
		e.Hash = seal(&e)
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.TenantID, e.Seq, e.ID, e.At.Format(timeFormat), e.ActorID, e.ActorEmail, e.Action, e.TargetType, e.TargetID, e.IP, e.UserAgent,
			string(e.Details), e.PrevHash, e.Hash)
		return err
	})
	if err != nil {
		return nil, mapErr("append audit", err)
	}
	return &e, nil
}

// ListAudit returns the tenant's entries newest first, filtered.
func (db *DB) ListAudit(ctx context.Context, tenantID string, f store.FindAudit) ([]store.AuditEntry, error) {
	since, until := "", ""
	if !f.Since.IsZero() {
		since = f.Since.UTC().Format(timeFormat)
	}
	if !f.Until.IsZero() {
		until = f.Until.UTC().Format(timeFormat)
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = ?1
		AND (?2 = '' OR action = ?2) AND (?3 = '' OR actor_id = ?3) AND (?4 = '' OR at >= ?4) AND (?5 = '' OR at < ?5)
		AND (?6 = 0 OR seq < ?6) ORDER BY seq DESC LIMIT ?7`, tenantID, f.Action, f.ActorID, since, until, f.Before, max(f.Limit, 1))
	if err != nil {
		return nil, mapErr("list audit", err)
	}
	return collectAudit(rows, "list audit")
}

// ChainAudit visits the tenant's chain in order, a page at a time.
func (db *DB) ChainAudit(ctx context.Context, tenantID string, visit func(store.AuditEntry) error) error {
	after := int64(0)
	for {
		rows, err := db.reader.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT 1000`, tenantID, after)
		if err != nil {
			return mapErr("chain audit", err)
		}
		page, err := collectAudit(rows, "chain audit")
		if err != nil {
			return err
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

func collectAudit(rows *sql.Rows, op string) ([]store.AuditEntry, error) {
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, mapErr(op, err)
		}
		out = append(out, e)
	}
	return out, mapErr(op, rows.Err())
}

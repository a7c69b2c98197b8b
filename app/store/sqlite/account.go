package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// AppendAccountEvent records ev for its user.
func (db *DB) AppendAccountEvent(ctx context.Context, ev store.AccountEvent) error {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	details := string(ev.Details)
	if details == "" {
		details = "{}"
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO account_events (id, user_id, at, action, ip, user_agent, details)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, store.IDOrNew(ev.ID), ev.UserID, stamp(ev.At), ev.Action, ev.IP, ev.UserAgent, details)
		return err
	})
	return mapErr("append account event", err)
}

// ListAccountEvents returns userID's newest events first.
func (db *DB) ListAccountEvents(ctx context.Context, userID string, limit int) ([]store.AccountEvent, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, user_id, at, action, ip, user_agent, details FROM account_events
		WHERE user_id = ? ORDER BY at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, mapErr("list account events", err)
	}
	defer rows.Close()
	out := []store.AccountEvent{}
	for rows.Next() {
		var ev store.AccountEvent
		var at, details string
		if err := rows.Scan(&ev.ID, &ev.UserID, &at, &ev.Action, &ev.IP, &ev.UserAgent, &details); err != nil {
			return nil, mapErr("list account events", err)
		}
		ev.At, ev.Details = parseTime(at), []byte(details)
		out = append(out, ev)
	}
	return out, mapErr("list account events", rows.Err())
}

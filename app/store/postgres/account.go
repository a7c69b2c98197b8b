package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

// AppendAccountEvent writes ev in its user's own scope (RLS by app.user_id).
func (db *DB) AppendAccountEvent(ctx context.Context, ev store.AccountEvent) error {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	details := string(ev.Details)
	if details == "" {
		details = "{}"
	}
	err := db.withUserTx(ctx, ev.UserID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO account_events (id, user_id, at, action, ip, user_agent, details)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, store.IDOrNew(ev.ID), ev.UserID, ev.At.UTC(), ev.Action, ev.IP, ev.UserAgent, details)
		return err
	})
	return mapErr("append account event", err)
}

// ListAccountEvents returns userID's newest events first.
func (db *DB) ListAccountEvents(ctx context.Context, userID string, limit int) ([]store.AccountEvent, error) {
	out := []store.AccountEvent{}
	err := db.withUserTx(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, user_id, at, action, ip, user_agent, details FROM account_events
			WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, userID, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.AccountEvent, error) {
			var ev store.AccountEvent
			var details string
			err := r.Scan(&ev.ID, &ev.UserID, &ev.At, &ev.Action, &ev.IP, &ev.UserAgent, &details)
			ev.Details = []byte(details)
			return ev, err
		})
		return err
	})
	if err == store.ErrNotFound { // an empty user id sees nothing
		return []store.AccountEvent{}, nil
	}
	return out, mapErr("list account events", err)
}

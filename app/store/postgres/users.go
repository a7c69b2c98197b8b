package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/nyxcore/nyxcore/app/store"
)

// UpsertUser creates or refreshes a mirror row. The users mirror has no
// tenant column: it is the directory members are invited from.
func (db *DB) UpsertUser(ctx context.Context, u store.User) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO users (id, email, name) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, updated_at = now()`,
		u.ID, u.Email, u.Name)
	return mapErr("upsert user", err)
}

// DeleteUser removes the user's memberships (through the user's own RLS
// scope) and mirror row, refusing when they are some tenant's last owner.
func (db *DB) DeleteUser(ctx context.Context, userID string) error {
	err := db.withUserTx(ctx, userID, func(tx pgx.Tx) error {
		sole, err := soleOwned(ctx, tx, userID)
		if err != nil {
			return err
		}
		if len(sole) > 0 {
			return store.ErrLastOwner
		}
		if _, err := tx.Exec(ctx, `DELETE FROM memberships WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM account_events WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, userID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		err = nil // deleting an unknown user is already done
	}
	return mapErr("delete user", err)
}

// OwnedSoleTenants lists slugs of tenants whose only owner is userID.
func (db *DB) OwnedSoleTenants(ctx context.Context, userID string) ([]string, error) {
	var out []string
	err := db.withUserTx(ctx, userID, func(tx pgx.Tx) error {
		var err error
		out, err = soleOwned(ctx, tx, userID)
		return err
	})
	return out, mapErr("owned sole tenants", err)
}

// soleOwned must run in a user-scoped transaction. Counting other owners of
// a tenant the user owns needs that tenant's scope, so each is checked in
// turn with a transaction-local switch of app.tenant_id.
func soleOwned(ctx context.Context, tx pgx.Tx, userID string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT t.id, t.slug FROM memberships m JOIN tenants t ON t.id = m.tenant_id
		WHERE m.user_id = $1 AND m.role = 'owner' ORDER BY t.slug`, userID)
	if err != nil {
		return nil, err
	}
	type owned struct{ id, slug string }
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (owned, error) {
		var o owned
		return o, r.Scan(&o.id, &o.slug)
	})
	if err != nil {
		return nil, err
	}
	var sole []string
	for _, o := range list {
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, o.id); err != nil {
			return nil, err
		}
		var n int
		err := tx.QueryRow(ctx, `SELECT count(*) FROM memberships
			WHERE tenant_id = $1 AND role = 'owner' AND user_id <> $2`, o.id, userID).Scan(&n)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			sole = append(sole, o.slug)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', '', true)`); err != nil {
		return nil, err
	}
	return sole, nil
}

// GetUser returns a mirrored user.
func (db *DB) GetUser(ctx context.Context, userID string) (*store.User, error) {
	return db.oneUser(ctx, "get user", `SELECT id, email, name FROM users WHERE id = $1`, userID)
}

// FindUserByEmail returns a mirrored user by email, ignoring case.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*store.User, error) {
	return db.oneUser(ctx, "find user", `SELECT id, email, name FROM users WHERE lower(email) = lower($1) ORDER BY id LIMIT 1`, email)
}

func (db *DB) oneUser(ctx context.Context, op, sql, arg string) (*store.User, error) {
	var u store.User
	if err := db.pool.QueryRow(ctx, sql, arg).Scan(&u.ID, &u.Email, &u.Name); err != nil {
		return nil, mapErr(op, err)
	}
	return &u, nil
}

// ListUserIDs returns all mirrored user ids.
func (db *DB) ListUserIDs(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM users ORDER BY id`)
	if err != nil {
		return nil, mapErr("list users", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return ids, mapErr("list users", err)
}

// userFK reports a membership pointing at an unmirrored user as not found.
func userFK(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == "memberships_user_id_fkey" {
		return store.ErrNotFound
	}
	return err
}

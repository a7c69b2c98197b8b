package sqlite

import (
	"context"
	"database/sql"

	"github.com/nyxcore/nyxcore/app/store"
)

// UpsertUser creates or refreshes a mirror row.
func (db *DB) UpsertUser(ctx context.Context, u store.User) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name, updated_at = excluded.updated_at`,
			u.ID, u.Email, u.Name, now())
		return err
	})
	return mapErr("upsert user", err)
}

// DeleteUser removes the user's memberships and mirror row, refusing when
// they are some tenant's last owner.
func (db *DB) DeleteUser(ctx context.Context, userID string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		sole, err := soleOwned(ctx, tx, userID)
		if err != nil {
			return err
		}
		if len(sole) > 0 {
			return store.ErrLastOwner
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_events WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, userID)
		return err
	})
	return mapErr("delete user", err)
}

// OwnedSoleTenants lists slugs of tenants whose only owner is userID.
func (db *DB) OwnedSoleTenants(ctx context.Context, userID string) ([]string, error) {
	var out []string
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = soleOwned(ctx, tx, userID)
		return err
	})
	return out, mapErr("owned sole tenants", err)
}

func soleOwned(ctx context.Context, tx *sql.Tx, userID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT t.slug FROM memberships m JOIN tenants t ON t.id = m.tenant_id
		WHERE m.user_id = ?1 AND m.role = 'owner' AND NOT EXISTS (
			SELECT 1 FROM memberships o WHERE o.tenant_id = m.tenant_id AND o.role = 'owner' AND o.user_id <> ?1)
		ORDER BY t.slug`, userID)
	if err != nil {
		return nil, err
	}
	return collectStrings(rows)
}

// GetUser returns a mirrored user.
func (db *DB) GetUser(ctx context.Context, userID string) (*store.User, error) {
	return db.oneUser(ctx, "get user", `SELECT id, email, name FROM users WHERE id = ?`, userID)
}

// FindUserByEmail returns a mirrored user by email, ignoring case.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*store.User, error) {
	return db.oneUser(ctx, "find user", `SELECT id, email, name FROM users WHERE lower(email) = lower(?) ORDER BY id LIMIT 1`, email)
}

func (db *DB) oneUser(ctx context.Context, op, q, arg string) (*store.User, error) {
	var u store.User
	if err := db.reader.QueryRowContext(ctx, q, arg).Scan(&u.ID, &u.Email, &u.Name); err != nil {
		return nil, mapErr(op, err)
	}
	return &u, nil
}

// ListUserIDs returns all mirrored user ids.
func (db *DB) ListUserIDs(ctx context.Context) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id FROM users ORDER BY id`)
	if err != nil {
		return nil, mapErr("list users", err)
	}
	ids, err := collectStrings(rows)
	return ids, mapErr("list users", err)
}

func userExists(ctx context.Context, tx *sql.Tx, userID string) error {
	var one int
	return tx.QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = ?`, userID).Scan(&one)
}

func collectStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

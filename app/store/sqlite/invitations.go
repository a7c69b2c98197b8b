package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

const invitationCols = `i.id, i.tenant_id, i.email, i.role, i.invited_by, i.created_at, i.expires_at,
	i.accepted_at, COALESCE(i.accepted_by, ''), i.declined_at, i.revoked_at`

// returningCols is invitationCols unqualified: SQLite's RETURNING takes no
// table-qualified names.
var returningCols = strings.ReplaceAll(invitationCols, "i.", "")

const openInvitation = `i.accepted_at IS NULL AND i.declined_at IS NULL AND i.revoked_at IS NULL`

func scanInvitation(row scanner, extra ...any) (*store.Invitation, error) {
	var i store.Invitation
	var created, expires string
	var accepted, declined, revoked *string
	dest := append([]any{&i.ID, &i.TenantID, &i.Email, &i.Role, &i.InvitedBy, &created, &expires,
		&accepted, &i.AcceptedBy, &declined, &revoked}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	i.CreatedAt, i.ExpiresAt = parseTime(created), parseTime(expires)
	i.AcceptedAt, i.DeclinedAt, i.RevokedAt = parseTimePtr(accepted), parseTimePtr(declined), parseTimePtr(revoked)
	return &i, nil
}

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

// UpsertInvitation creates the tenant's open invitation for the address or
// refreshes it (the partial unique index is the conflict target).
func (db *DB) UpsertInvitation(ctx context.Context, inv store.Invitation, tokenHash string) (*store.Invitation, error) {
	var out *store.Invitation
	err := db.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM tenants WHERE id = ?`, inv.TenantID).Scan(&one); err != nil {
			return err
		}
		var err error
		out, err = scanInvitation(tx.QueryRowContext(ctx, `
			INSERT INTO invitations AS i (id, tenant_id, email, role, invited_by, token_hash, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, email) WHERE accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL
			DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by, token_hash = excluded.token_hash,
				created_at = excluded.created_at, expires_at = excluded.expires_at
			RETURNING `+returningCols,
			store.IDOrNew(inv.ID), inv.TenantID, strings.ToLower(inv.Email), inv.Role, inv.InvitedBy, tokenHash,
			stamp(inv.CreatedAt), stamp(inv.ExpiresAt)))
		return err
	})
	if err != nil {
		return nil, mapErr("upsert invitation", err)
	}
	return out, nil
}

// ListInvitations returns the tenant's open invitations, newest first.
func (db *DB) ListInvitations(ctx context.Context, tenantID string) ([]store.Invitation, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+invitationCols+` FROM invitations i
		WHERE i.tenant_id = ? AND `+openInvitation+` ORDER BY i.created_at DESC, i.id DESC`, tenantID)
	if err != nil {
		return nil, mapErr("list invitations", err)
	}
	defer rows.Close()
	out := []store.Invitation{}
	for rows.Next() {
		i, err := scanInvitation(rows)
		if err != nil {
			return nil, mapErr("list invitations", err)
		}
		out = append(out, *i)
	}
	return out, mapErr("list invitations", rows.Err())
}

// RevokeInvitation marks one open invitation of the tenant revoked.
func (db *DB) RevokeInvitation(ctx context.Context, tenantID, id string, at time.Time) (*store.Invitation, error) {
	var out *store.Invitation
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = scanInvitation(tx.QueryRowContext(ctx, `UPDATE invitations AS i SET revoked_at = ?
			WHERE i.tenant_id = ? AND i.id = ? AND `+openInvitation+` RETURNING `+returningCols, stamp(at), tenantID, id))
		return err
	})
	if err != nil {
		return nil, mapErr("revoke invitation", err)
	}
	return out, nil
}

// ListInvitationsForEmail returns open, unexpired invitations addressed to
// email, with the inviting tenants' slugs and names.
func (db *DB) ListInvitationsForEmail(ctx context.Context, email string, now time.Time) ([]store.Invitation, error) {
	out := []store.Invitation{}
	if email == "" {
		return out, nil
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT `+invitationCols+`, t.slug, t.name
		FROM invitations i JOIN tenants t ON t.id = i.tenant_id
		WHERE i.email = ? AND `+openInvitation+` AND i.expires_at > ?
		ORDER BY i.created_at DESC, i.id DESC`, strings.ToLower(email), stamp(now))
	if err != nil {
		return nil, mapErr("list my invitations", err)
	}
	defer rows.Close()
	for rows.Next() {
		var slug, name string
		i, err := scanInvitation(rows, &slug, &name)
		if err != nil {
			return nil, mapErr("list my invitations", err)
		}
		i.TenantSlug, i.TenantName = slug, name
		out = append(out, *i)
	}
	return out, mapErr("list my invitations", rows.Err())
}

// AnswerInvitation finds the invitation by address and id or by token hash
// and answers it in the single writer's transaction, so two answers cannot
// both succeed.
func (db *DB) AnswerInvitation(ctx context.Context, a store.InvitationAnswer) (*store.Invitation, error) {
	where, args := `i.id = ? AND i.email = ?`, []any{a.ID, strings.ToLower(a.Email)}
	if a.TokenHash != "" {
		where, args = `i.token_hash = ?`, []any{a.TokenHash}
	} else if a.ID == "" || a.Email == "" {
		return nil, mapErr("answer invitation", store.ErrNotFound)
	}
	var out *store.Invitation
	err := db.write(ctx, func(tx *sql.Tx) error {
		inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationCols+` FROM invitations i WHERE `+where, args...))
		if err != nil {
			return err
		}
		if err := store.CheckAnswerable(inv, a.At); err != nil {
			return err
		}
		if out, err = answer(ctx, tx, inv, a); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT slug, name FROM tenants WHERE id = ?`, inv.TenantID).Scan(&out.TenantSlug, &out.TenantName)
	})
	if err != nil {
		return nil, mapErr("answer invitation", err)
	}
	return out, nil
}

// answer stamps the answer; accepting first adds the membership, scoped to
// the invitation's own tenant.
func answer(ctx context.Context, tx *sql.Tx, inv *store.Invitation, a store.InvitationAnswer) (*store.Invitation, error) {
	set, args := `declined_at = ?`, []any{stamp(a.At)}
	if a.Accept {
		if err := userExists(ctx, tx, a.UserID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
			inv.TenantID, a.UserID, inv.Role, now()); err != nil {
			return nil, err
		}
		set, args = `accepted_at = ?, accepted_by = ?`, []any{stamp(a.At), a.UserID}
	}
	return scanInvitation(tx.QueryRowContext(ctx, `UPDATE invitations AS i SET `+set+`
		WHERE i.tenant_id = ? AND i.id = ? RETURNING `+returningCols, append(args, inv.TenantID, inv.ID)...))
}

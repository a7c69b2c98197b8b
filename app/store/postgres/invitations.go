package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/nyxcore/nyxcore/app/store"
)

const invitationCols = `i.id, i.tenant_id, i.email, i.role, i.invited_by, i.created_at, i.expires_at,
	i.accepted_at, COALESCE(i.accepted_by, ''), i.declined_at, i.revoked_at`

const openInvitation = `i.accepted_at IS NULL AND i.declined_at IS NULL AND i.revoked_at IS NULL`

func scanInvitation(row pgx.Row, extra ...any) (*store.Invitation, error) {
	var i store.Invitation
	dest := append([]any{&i.ID, &i.TenantID, &i.Email, &i.Role, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt,
		&i.AcceptedAt, &i.AcceptedBy, &i.DeclinedAt, &i.RevokedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	return &i, nil
}

// UpsertInvitation creates the tenant's open invitation for the address or
// refreshes it; the partial unique index makes "one open per address" hold
// under concurrent invites from several processes.
func (db *DB) UpsertInvitation(ctx context.Context, inv store.Invitation, tokenHash string) (*store.Invitation, error) {
	var out *store.Invitation
	err := db.withTenantTx(ctx, inv.TenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanInvitation(tx.QueryRow(ctx, `
			INSERT INTO invitations AS i (id, tenant_id, email, role, invited_by, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (tenant_id, email) WHERE accepted_at IS NULL AND declined_at IS NULL AND revoked_at IS NULL
			DO UPDATE SET role = EXCLUDED.role, invited_by = EXCLUDED.invited_by, token_hash = EXCLUDED.token_hash,
				created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
			RETURNING `+invitationCols,
			store.IDOrNew(inv.ID), inv.TenantID, strings.ToLower(inv.Email), inv.Role, inv.InvitedBy, tokenHash,
			inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()))
		return tenantFK(err)
	})
	if err != nil {
		return nil, mapErr("upsert invitation", err)
	}
	return out, nil
}

// ListInvitations returns the tenant's open invitations, newest first.
func (db *DB) ListInvitations(ctx context.Context, tenantID string) ([]store.Invitation, error) {
	out := []store.Invitation{}
	err := db.queryTenant(ctx, tenantID, `SELECT `+invitationCols+` FROM invitations i
		WHERE i.tenant_id = $1 AND `+openInvitation+` ORDER BY i.created_at DESC, i.id DESC`,
		[]any{tenantID}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Invitation, error) {
				i, err := scanInvitation(r)
				if err != nil {
					return store.Invitation{}, err
				}
				return *i, nil
			})
			return err
		})
	return out, mapErr("list invitations", err)
}

// RevokeInvitation marks one open invitation of the tenant revoked.
func (db *DB) RevokeInvitation(ctx context.Context, tenantID, id string, at time.Time) (*store.Invitation, error) {
	var out *store.Invitation
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var err error
		out, err = scanInvitation(tx.QueryRow(ctx, `UPDATE invitations i SET revoked_at = $3
			WHERE i.tenant_id = $1 AND i.id = $2 AND `+openInvitation+` RETURNING `+invitationCols, tenantID, id, at.UTC()))
		return err
	})
	if err != nil {
		return nil, mapErr("revoke invitation", err)
	}
	return out, nil
}

// ListInvitationsForEmail reads across tenants through the narrow
// app.user_email scope: invitations addressed to email and, through the
// invitee_lookup policy, the names of the tenants that sent them.
func (db *DB) ListInvitationsForEmail(ctx context.Context, email string, now time.Time) ([]store.Invitation, error) {
	email = strings.ToLower(email)
	out := []store.Invitation{}
	err := db.withScopedTx(ctx, "app.user_email", email, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+invitationCols+`, t.slug, t.name
			FROM invitations i JOIN tenants t ON t.id = i.tenant_id
			WHERE i.email = $1 AND `+openInvitation+` AND i.expires_at > $2
			ORDER BY i.created_at DESC, i.id DESC`, email, now.UTC())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Invitation, error) {
			var i store.Invitation
			p, err := scanInvitation(r, &i.TenantSlug, &i.TenantName)
			if err != nil {
				return i, err
			}
			p.TenantSlug, p.TenantName = i.TenantSlug, i.TenantName
			return *p, nil
		})
		return err
	})
	if errors.Is(err, store.ErrNotFound) { // an empty address sees nothing
		return []store.Invitation{}, nil
	}
	return out, mapErr("list my invitations", err)
}

// AnswerInvitation finds the invitation through the invitee's narrow scope
// (address or token hash), locks it, then switches the transaction to the
// invitation's tenant to add the membership and stamp the answer.
func (db *DB) AnswerInvitation(ctx context.Context, a store.InvitationAnswer) (*store.Invitation, error) {
	setting, value, where, args := "app.user_email", strings.ToLower(a.Email), `i.id = $1 AND i.email = $2`, []any{a.ID, strings.ToLower(a.Email)}
	if a.TokenHash != "" {
		setting, value, where, args = "app.invitation_token", a.TokenHash, `i.token_hash = $1`, []any{a.TokenHash}
	} else if a.ID == "" {
		return nil, mapErr("answer invitation", store.ErrNotFound)
	}
	var out *store.Invitation
	err := db.withScopedTx(ctx, setting, value, func(tx pgx.Tx) error {
		inv, err := scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationCols+` FROM invitations i WHERE `+where+` FOR UPDATE`, args...))
		if err != nil {
			return err
		}
		if err := store.CheckAnswerable(inv, a.At); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('app.tenant_id', $1, true)`, inv.TenantID); err != nil {
			return err
		}
		if out, err = db.answer(ctx, tx, inv, a); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT slug, name FROM tenants WHERE id = $1`, inv.TenantID).Scan(&out.TenantSlug, &out.TenantName)
	})
	if err != nil {
		return nil, mapErr("answer invitation", err)
	}
	return out, nil
}

// answer runs in the invitation's tenant scope.
func (db *DB) answer(ctx context.Context, tx pgx.Tx, inv *store.Invitation, a store.InvitationAnswer) (*store.Invitation, error) {
	set, args := `declined_at = $3`, []any{inv.TenantID, inv.ID, a.At.UTC()}
	if a.Accept {
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`,
			inv.TenantID, a.UserID, inv.Role); err != nil {
			return nil, userFK(err)
		}
		set, args = `accepted_at = $3, accepted_by = $4`, append(args, a.UserID)
	}
	return scanInvitation(tx.QueryRow(ctx, `UPDATE invitations i SET `+set+`
		WHERE i.tenant_id = $1 AND i.id = $2 RETURNING `+invitationCols, args...))
}

// tenantFK reports an invitation to a tenant that does not exist as not found.
func tenantFK(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" && pgErr.ConstraintName == "invitations_tenant_id_fkey" {
		return store.ErrNotFound
	}
	return err
}

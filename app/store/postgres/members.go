package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
)

const memberSelect = `SELECT m.tenant_id, m.user_id, u.email, u.name, m.role, m.created_at
	FROM memberships m JOIN users u ON u.id = m.user_id`

func scanMember(row pgx.Row) (*store.Member, error) {
	var m store.Member
	if err := row.Scan(&m.TenantID, &m.UserID, &m.Email, &m.Name, &m.Role, &m.CreatedAt); err != nil {
		return nil, err
	}
	return &m, nil
}

// ListMemberships returns userID's tenants through the user scope.
func (db *DB) ListMemberships(ctx context.Context, userID string) ([]store.Membership, error) {
	var out []store.Membership
	err := db.withUserTx(ctx, userID, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id, t.slug, t.name, t.custom_domain, t.custom_domain_verified_at, t.created_at, m.role
			FROM memberships m JOIN tenants t ON t.id = m.tenant_id
			WHERE m.user_id = $1 ORDER BY t.name, t.slug`, userID)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Membership, error) {
			var ms store.Membership
			t := &ms.Tenant
			return ms, r.Scan(&t.ID, &t.Slug, &t.Name, &t.CustomDomain, &t.CustomDomainVerifiedAt, &t.CreatedAt, &ms.Role)
		})
		return err
	})
	if err == store.ErrNotFound {
		return []store.Membership{}, nil
	}
	if out == nil && err == nil {
		out = []store.Membership{}
	}
	return out, mapErr("list memberships", err)
}

// ListMembers returns the tenant's members in join order.
func (db *DB) ListMembers(ctx context.Context, tenantID string) ([]store.Member, error) {
	out := []store.Member{}
	err := db.queryTenant(ctx, tenantID, memberSelect+` WHERE m.tenant_id = $1 ORDER BY m.created_at, m.user_id`,
		[]any{tenantID}, func(rows pgx.Rows) error {
			var err error
			out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Member, error) {
				m, err := scanMember(r)
				if err != nil {
					return store.Member{}, err
				}
				return *m, nil
			})
			return err
		})
	return out, mapErr("list members", err)
}

// GetMember returns one member of the tenant.
func (db *DB) GetMember(ctx context.Context, tenantID, userID string) (*store.Member, error) {
	var m *store.Member
	err := db.queryTenant(ctx, tenantID, memberSelect+` WHERE m.tenant_id = $1 AND m.user_id = $2`,
		[]any{tenantID, userID}, func(rows pgx.Rows) error {
			var err error
			m, err = pgx.CollectExactlyOneRow(rows, func(r pgx.CollectableRow) (*store.Member, error) { return scanMember(r) })
			return err
		})
	if err != nil {
		return nil, mapErr("get member", err)
	}
	return m, nil
}

// AddMember adds a mirrored user to the tenant.
func (db *DB) AddMember(ctx context.Context, tenantID, userID, role string) (*store.Member, error) {
	var m *store.Member
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM tenants WHERE id = $1`, tenantID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return store.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)`,
			tenantID, userID, role); err != nil {
			return userFK(err)
		}
		var err error
		m, err = scanMember(tx.QueryRow(ctx, memberSelect+` WHERE m.tenant_id = $1 AND m.user_id = $2`, tenantID, userID))
		return err
	})
	if err != nil {
		return nil, mapErr("add member", err)
	}
	return m, nil
}

// UpdateMemberRole changes a role, refusing to demote the last owner.
func (db *DB) UpdateMemberRole(ctx context.Context, tenantID, userID, role string) (*store.Member, error) {
	var m *store.Member
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		if err := guardLastOwner(ctx, tx, tenantID, userID, role); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE memberships SET role = $3 WHERE tenant_id = $1 AND user_id = $2`, tenantID, userID, role)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		m, err = scanMember(tx.QueryRow(ctx, memberSelect+` WHERE m.tenant_id = $1 AND m.user_id = $2`, tenantID, userID))
		return err
	})
	if err != nil {
		return nil, mapErr("update member", err)
	}
	return m, nil
}

// RemoveMember removes a member, refusing to remove the last owner.
func (db *DB) RemoveMember(ctx context.Context, tenantID, userID string) error {
	err := db.withTenantTx(ctx, tenantID, func(tx pgx.Tx) error {
		if err := guardLastOwner(ctx, tx, tenantID, userID, ""); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2`, tenantID, userID)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
	return mapErr("remove member", err)
}

// guardLastOwner locks the tenant's owner rows, so concurrent demotions
// serialise, and fails if userID is the only owner and would stop being one.
func guardLastOwner(ctx context.Context, tx pgx.Tx, tenantID, userID, newRole string) error {
	if newRole == "owner" {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT user_id FROM memberships WHERE tenant_id = $1 AND role = 'owner' FOR UPDATE`, tenantID)
	if err != nil {
		return err
	}
	owners, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	if len(owners) == 1 && owners[0] == userID {
		return store.ErrLastOwner
	}
	return nil
}

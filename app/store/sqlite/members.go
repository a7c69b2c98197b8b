package sqlite

import (
	"context"
	"database/sql"

	"github.com/nyxcore/nyxcore/app/store"
)

const memberSelect = `SELECT m.tenant_id, m.user_id, u.email, u.name, m.role, m.created_at
	FROM memberships m JOIN users u ON u.id = m.user_id`

func scanMember(row scanner) (*store.Member, error) {
	var m store.Member
	var created string
	if err := row.Scan(&m.TenantID, &m.UserID, &m.Email, &m.Name, &m.Role, &created); err != nil {
		return nil, err
	}
	m.CreatedAt = parseTime(created)
	return &m, nil
}

// ListMemberships returns userID's tenants with roles.
func (db *DB) ListMemberships(ctx context.Context, userID string) ([]store.Membership, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT t.id, t.slug, t.name, t.custom_domain, t.custom_domain_verified_at, t.created_at, m.role
		FROM memberships m JOIN tenants t ON t.id = m.tenant_id
		WHERE m.user_id = ? ORDER BY t.name, t.slug`, userID)
	if err != nil {
		return nil, mapErr("list memberships", err)
	}
	defer rows.Close()
	out := []store.Membership{}
	for rows.Next() {
		var verified *string
		var created string
		var ms store.Membership
		t := &ms.Tenant
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name, &t.CustomDomain, &verified, &created, &ms.Role); err != nil {
			return nil, mapErr("list memberships", err)
		}
		t.CustomDomainVerifiedAt, t.CreatedAt = parseTimePtr(verified), parseTime(created)
		out = append(out, ms)
	}
	return out, mapErr("list memberships", rows.Err())
}

// ListMembers returns the tenant's members in join order.
func (db *DB) ListMembers(ctx context.Context, tenantID string) ([]store.Member, error) {
	rows, err := db.reader.QueryContext(ctx, memberSelect+` WHERE m.tenant_id = ? ORDER BY m.created_at, m.user_id`, tenantID)
	if err != nil {
		return nil, mapErr("list members", err)
	}
	defer rows.Close()
	out := []store.Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, mapErr("list members", err)
		}
		out = append(out, *m)
	}
	return out, mapErr("list members", rows.Err())
}

// GetMember returns one member of the tenant.
func (db *DB) GetMember(ctx context.Context, tenantID, userID string) (*store.Member, error) {
	m, err := scanMember(db.reader.QueryRowContext(ctx, memberSelect+` WHERE m.tenant_id = ? AND m.user_id = ?`, tenantID, userID))
	if err != nil {
		return nil, mapErr("get member", err)
	}
	return m, nil
}

// AddMember adds a mirrored user to the tenant.
func (db *DB) AddMember(ctx context.Context, tenantID, userID, role string) (*store.Member, error) {
	var m *store.Member
	err := db.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM tenants WHERE id = ?`, tenantID).Scan(&one); err != nil {
			return err
		}
		if err := userExists(ctx, tx, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (tenant_id, user_id, role, created_at) VALUES (?, ?, ?, ?)`,
			tenantID, userID, role, now()); err != nil {
			return err
		}
		var err error
		m, err = scanMember(tx.QueryRowContext(ctx, memberSelect+` WHERE m.tenant_id = ? AND m.user_id = ?`, tenantID, userID))
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
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := guardLastOwner(ctx, tx, tenantID, userID, role); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE memberships SET role = ? WHERE tenant_id = ? AND user_id = ?`, role, tenantID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		m, err = scanMember(tx.QueryRowContext(ctx, memberSelect+` WHERE m.tenant_id = ? AND m.user_id = ?`, tenantID, userID))
		return err
	})
	if err != nil {
		return nil, mapErr("update member", err)
	}
	return m, nil
}

// RemoveMember removes a member, refusing to remove the last owner.
func (db *DB) RemoveMember(ctx context.Context, tenantID, userID string) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := guardLastOwner(ctx, tx, tenantID, userID, ""); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?`, tenantID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.ErrNotFound
		}
		return nil
	})
	return mapErr("remove member", err)
}

// guardLastOwner runs inside the single writer's transaction, so the count
// cannot race another change.
func guardLastOwner(ctx context.Context, tx *sql.Tx, tenantID, userID, newRole string) error {
	if newRole == "owner" {
		return nil
	}
	var isOwner, others int
	err := tx.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(user_id = ?2), 0), COALESCE(SUM(user_id <> ?2), 0)
		FROM memberships WHERE tenant_id = ?1 AND role = 'owner'`, tenantID, userID).Scan(&isOwner, &others)
	if err != nil {
		return err
	}
	if isOwner == 1 && others == 0 {
		return store.ErrLastOwner
	}
	return nil
}

var _ store.Store = (*DB)(nil)

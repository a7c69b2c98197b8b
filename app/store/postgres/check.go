package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/migrations"
)

// Check refuses a database the runtime role could escape isolation in: it
// fails, naming the problem, when the connected role is a superuser, has
// BYPASSRLS, owns or can become the owner of a tenant table, or a tenant
// table lacks FORCE ROW LEVEL SECURITY or a policy; and when migrations are
// missing. Tenant tables are tenants, account_events (user-confined) and
// every table with a tenant_id column.
func (db *DB) Check(ctx context.Context) error {
	var super, bypass bool
	var user string
	if err := db.pool.QueryRow(ctx, `SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).
		Scan(&user, &super, &bypass); err != nil {
		return fmt.Errorf("store/postgres: check role: %w", err)
	}
	if super {
		return fmt.Errorf("store/postgres: role %q is a superuser and bypasses row-level security; connect NYX_DATABASE_URL as the runtime role (see `nyxcore db migrate`)", user)
	}
	if bypass {
		return fmt.Errorf("store/postgres: role %q has BYPASSRLS; run ALTER ROLE %s NOBYPASSRLS or use the runtime role from `nyxcore db migrate`", user, user)
	}
	if err := db.checkMigrated(ctx); err != nil {
		return err
	}
	if err := db.checkTables(ctx, user); err != nil {
		return err
	}
	return db.probe(ctx)
}

// probe proves isolation by behaviour, not just by catalog flags: with no
// tenant set, the runtime role must see no tenant rows at all.
func (db *DB) probe(ctx context.Context) error {
	var n int
	if err := db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM tenants) + (SELECT count(*) FROM memberships)`).Scan(&n); err != nil {
		return fmt.Errorf("store/postgres: isolation probe: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("store/postgres: refusing to run: with no tenant set the runtime role still sees %d tenant rows; row-level security is not confining it", n)
	}
	return nil
}

func (db *DB) checkMigrated(ctx context.Context) error {
	var have []string
	rows, err := db.pool.Query(ctx, `SELECT version FROM schema_migrations`)
	if err == nil {
		for rows.Next() {
			var v string
			if err = rows.Scan(&v); err != nil {
				break
			}
			have = append(have, v)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	if err != nil {
		return fmt.Errorf("store/postgres: %w: cannot read schema_migrations (%v); run `nyxcore db migrate` with NYX_DATABASE_MIGRATE_URL", store.ErrSchema, err)
	}
	applied := map[string]bool{}
	for _, v := range have {
		applied[v] = true
	}
	for _, m := range migrations.Postgres() {
		if !applied[m.Version] {
			return fmt.Errorf("store/postgres: %w: migration %s is pending; run `nyxcore db migrate` with NYX_DATABASE_MIGRATE_URL", store.ErrSchema, m.Version)
		}
	}
	return nil
}

// checkTables inspects every tenant table in the current schema path.
func (db *DB) checkTables(ctx context.Context, user string) error {
	rows, err := db.pool.Query(ctx, `
		SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		       (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid),
		       pg_get_userbyid(c.relowner),
		       pg_has_role(current_user, c.relowner, 'MEMBER')
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
		  AND (c.relname IN ('tenants', 'account_events') OR EXISTS (
		      SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped))
		ORDER BY c.relname`)
	if err != nil {
		return fmt.Errorf("store/postgres: check tables: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var name, owner string
		var rls, force, ownerMember bool
		var policies int
		if err := rows.Scan(&name, &rls, &force, &policies, &owner, &ownerMember); err != nil {
			return fmt.Errorf("store/postgres: check tables: %w", err)
		}
		switch {
		case owner == user || ownerMember:
			problems = append(problems, fmt.Sprintf("role %q owns (or is a member of the owner of) tenant table %s", user, name))
		case !rls || !force:
			problems = append(problems, fmt.Sprintf("tenant table %s lacks ENABLE + FORCE ROW LEVEL SECURITY", name))
		case policies == 0:
			problems = append(problems, fmt.Sprintf("tenant table %s has no row-level security policy", name))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store/postgres: check tables: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store/postgres: refusing to run: %s", strings.Join(problems, "; "))
	}
	return nil
}

var _ store.Store = (*DB)(nil)

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/migrations"
)

// migrateLockKey serialises concurrent `db migrate` runs (pg_advisory_lock).
const migrateLockKey = 0x6e79785f6d6967 // "nyx_mig"

// grant is one table's (or function's) privileges for the runtime role.
type grant struct {
	object     string // e.g. "TABLE tenants", "FUNCTION nyx_resolve_tenant(text, text, text)"
	privileges string
}

// runtimeGrants is everything the runtime role may do, and nothing more.
// Later migrations add their tables here (audit gets INSERT, SELECT only).
var runtimeGrants = []grant{
	{"SCHEMA public", "USAGE"},
	{"TABLE schema_migrations", "SELECT"},
	{"TABLE tenants", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE users", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE memberships", "SELECT, INSERT, UPDATE, DELETE"},
	{"FUNCTION nyx_resolve_tenant(text, text, text)", "EXECUTE"},
	{"TABLE providers", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE personas", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE secret_keys", "SELECT, INSERT"},
	{"FUNCTION nyx_tenant_ids()", "EXECUTE"},
	{"TABLE discussions", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE messages", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE discussion_rounds", "SELECT, INSERT, UPDATE, DELETE"},
	{"TABLE audit_log", "SELECT, INSERT"},
	{"TABLE usage_daily", "SELECT, INSERT, UPDATE"},
	{"TABLE tenant_budgets", "SELECT, INSERT, UPDATE, DELETE"},
	{"FUNCTION nyx_audit_tenant_ids()", "EXECUTE"},
	{"TABLE invitations", "SELECT, INSERT, UPDATE"},
	{"TABLE account_events", "SELECT, INSERT, DELETE"},
	{"TABLE slug_holds", "SELECT, INSERT, UPDATE, DELETE"},
	{"FUNCTION nyx_slug_holder(text)", "EXECUTE"},
}

// AppRole describes the runtime role `db migrate` provisions.
type AppRole struct {
	Name     string // "" skips role provisioning
	Password string // "" leaves the role's password as it is
}

// Migrate applies pending data-plane migrations as the owner connection at
// url, then provisions role. It is idempotent and safe to run concurrently.
// It returns the versions it applied.
func Migrate(ctx context.Context, url string, role AppRole) ([]string, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("store/postgres: migrate: connect: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockKey)); err != nil {
		return nil, fmt.Errorf("store/postgres: migrate: lock: %w", err)
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, int64(migrateLockKey)) //nolint:errcheck // released with the session anyway
	applied, err := applyMigrations(ctx, conn)
	if err != nil {
		return applied, err
	}
	if role.Name != "" {
		if err := provisionRole(ctx, conn, role); err != nil {
			return applied, err
		}
	}
	return applied, nil
}

func applyMigrations(ctx context.Context, conn *pgx.Conn) ([]string, error) {
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return nil, fmt.Errorf("store/postgres: migrate: %w", err)
	}
	var applied []string
	for _, m := range migrations.Postgres() {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT DO NOTHING`, m.Version)
			if err != nil || tag.RowsAffected() == 0 {
				return err // already applied
			}
			applied = append(applied, m.Version)
			_, err = tx.Exec(ctx, m.SQL)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("store/postgres: migrate %s: %w", m.Version, err)
		}
	}
	return applied, nil
}

// provisionRole makes the runtime role exist with no way around RLS and
// exactly runtimeGrants. Statements are built server-side with format(%I,
// %L), so names and passwords are quoted by PostgreSQL itself.
func provisionRole(ctx context.Context, conn *pgx.Conn, role AppRole) error {
	var owns int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
		WHERE r.rolname = $1`, role.Name).Scan(&owns); err != nil {
		return fmt.Errorf("store/postgres: provision role: %w", err)
	}
	if owns > 0 {
		return fmt.Errorf("store/postgres: provision role: role %q owns %d relations; the runtime role must own nothing (reassign them to the migration role)", role.Name, owns)
	}
	stmts := []string{
		`SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN '' ELSE format('CREATE ROLE %I LOGIN', $1::text) END`,
		`SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION', $1::text)`,
		`SELECT format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', $1::text)`,
		`SELECT format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', $1::text)`,
		`SELECT format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM %I', $1::text)`,
	}
	for _, g := range runtimeGrants {
		stmts = append(stmts, fmt.Sprintf(`SELECT format('GRANT %s ON %s TO %%I', $1::text)`, g.privileges, g.object))
	}
	for _, q := range stmts {
		if err := execFormatted(ctx, conn, q, role.Name); err != nil {
			return err
		}
	}
	if role.Password != "" {
		return execFormatted(ctx, conn, `SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)`, role.Name, role.Password)
	}
	return nil
}

func execFormatted(ctx context.Context, conn *pgx.Conn, q string, args ...any) error {
	var stmt string
	if err := conn.QueryRow(ctx, q, args...).Scan(&stmt); err != nil {
		return fmt.Errorf("store/postgres: provision role: %w", err)
	}
	if stmt == "" {
		return nil
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("store/postgres: provision role: %w", err)
	}
	return nil
}

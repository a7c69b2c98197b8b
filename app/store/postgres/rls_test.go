package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/nyxcore/nyxcore/app/store"
)

// rlsFixture: tenant A with two members, tenant B with one.
func rlsFixture(t *testing.T, db *DB) (a, b *store.Tenant) {
	t.Helper()
	ctx := context.Background()
	for _, id := range []string{"ua", "ua2", "ub"} {
		if err := db.UpsertUser(ctx, store.User{ID: id, Email: id + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	a, err := db.CreateTenant(ctx, "acme", "Acme", "ua")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddMember(ctx, a.ID, "ua2", "member"); err != nil {
		t.Fatal(err)
	}
	b, err = db.CreateTenant(ctx, "bravo", "Bravo", "ub")
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// TestUnfilteredStatementsAreConfinedByRLS runs SQL that deliberately
// forgets its tenant filter inside tenant B's transaction.
func TestUnfilteredStatementsAreConfinedByRLS(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, b := rlsFixture(t, tdb.db)

	count := func(sql string) (n int) {
		t.Helper()
		err := tdb.db.withTenantTx(ctx, b.ID, func(tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) })
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM memberships`); n != 1 {
		t.Fatalf("unfiltered SELECT on memberships in B saw %d rows, want 1", n)
	}
	if n := count(`SELECT count(*) FROM tenants`); n != 1 {
		t.Fatalf("unfiltered SELECT on tenants in B saw %d rows, want 1", n)
	}

	var updated, deleted int64
	err := tdb.db.withTenantTx(ctx, b.ID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE memberships SET role = 'viewer'`)
		updated = tag.RowsAffected()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tenants SET name = 'pwned'`); err != nil {
			return err
		}
		tag, err = tx.Exec(ctx, `DELETE FROM memberships WHERE role = 'member'`)
		deleted = tag.RowsAffected()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated != 1 || deleted != 0 {
		t.Fatalf("unfiltered UPDATE touched %d rows, DELETE %d; want 1 and 0", updated, deleted)
	}
	members, err := tdb.db.ListMembers(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(members) != 2 || members[0].Role != "owner" || members[1].Role != "member" {
		t.Fatalf("A's members changed through B's transaction: %+v", members)
	}
	if got, _ := tdb.db.GetTenant(ctx, a.ID); got.Name != "Acme" {
		t.Fatalf("A's tenant row renamed through B: %q", got.Name)
	}

	err = tdb.db.withTenantTx(ctx, b.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM memberships`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if members, _ := tdb.db.ListMembers(ctx, a.ID); len(members) != 2 {
		t.Fatalf("unfiltered DELETE in B removed A's rows: %+v", members)
	}

	err = tdb.db.withTenantTx(ctx, b.ID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, 'ub', 'owner')`, a.ID)
		return err
	})
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
		t.Fatalf("inserting into A from B's transaction: err = %v, want RLS violation 42501", err)
	}
}

// TestNoTenantSetSeesNothing: the runtime role outside any tenant scope
// sees no tenant rows at all.
func TestNoTenantSetSeesNothing(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	rlsFixture(t, tdb.db)
	for _, table := range []string{"tenants", "memberships"} {
		var n int
		if err := tdb.db.pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("%s without a tenant: %d rows visible", table, n)
		}
	}
}

// TestPooledConnectionCarriesNothingOver reuses the only connection of a
// one-connection pool right after tenant A's transaction and batch read.
func TestPooledConnectionCarriesNothingOver(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, _ := rlsFixture(t, tdb.db)
	db, err := Open(ctx, tdb.appURL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ListMembers(ctx, a.ID); err != nil { // batch path
		t.Fatal(err)
	}
	if _, err := db.UpdateTenant(ctx, a.ID, store.UpdateTenant{}); err != nil { // transaction path
		t.Fatal(err)
	}
	if _, err := db.ListMemberships(ctx, "ua"); err != nil { // user-scope path
		t.Fatal(err)
	}
	var tenant, user *string
	var n int
	err = db.pool.QueryRow(ctx, `SELECT NULLIF(current_setting('app.tenant_id', true), ''),
		NULLIF(current_setting('app.user_id', true), ''), (SELECT count(*) FROM memberships)`).Scan(&tenant, &user, &n)
	if err != nil {
		t.Fatal(err)
	}
	if tenant != nil || user != nil || n != 0 {
		t.Fatalf("next borrower inherited tenant=%v user=%v and sees %d memberships", tenant, user, n)
	}
}

func TestCheckRefusesUnsafeDatabases(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		breakf func(t *testing.T, tdb testDB) (*DB, func())
		want   string
	}{
		{"safe", func(t *testing.T, tdb testDB) (*DB, func()) { return tdb.db, func() {} }, ""},
		{"superuser", func(t *testing.T, tdb testDB) (*DB, func()) { return openURL(t, tdb.adminURL), func() {} }, "superuser"},
		{"bypassrls", func(t *testing.T, tdb testDB) (*DB, func()) {
			admin(t, tdb.adminURL, `ALTER ROLE `+tdb.role+` BYPASSRLS`)
			return tdb.db, func() { admin(t, tdb.adminURL, `ALTER ROLE `+tdb.role+` NOBYPASSRLS`) }
		}, "BYPASSRLS"},
		{"no force", func(t *testing.T, tdb testDB) (*DB, func()) {
			admin(t, tdb.adminURL, `ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY`)
			return tdb.db, func() {}
		}, "memberships lacks ENABLE + FORCE"},
		{"no policy", func(t *testing.T, tdb testDB) (*DB, func()) {
			admin(t, tdb.adminURL, `DROP POLICY tenant_isolation ON memberships`)
			return tdb.db, func() {}
		}, "memberships has no row-level security policy"},
		{"owns a tenant table", func(t *testing.T, tdb testDB) (*DB, func()) {
			admin(t, tdb.adminURL, `ALTER TABLE memberships OWNER TO `+tdb.role)
			return tdb.db, func() {}
		}, "owns"},
		{"pending migration", func(t *testing.T, tdb testDB) (*DB, func()) {
			admin(t, tdb.adminURL, `DELETE FROM schema_migrations`)
			return tdb.db, func() {}
		}, "nyxcore db migrate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tdb := newTestDB(t)
			db, undo := c.breakf(t, tdb)
			defer undo()
			err := db.Check(ctx)
			if c.want == "" {
				if err != nil {
					t.Fatalf("Check on a safe database: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Check = %v, want an error naming %q", err, c.want)
			}
		})
	}
}

func openURL(t *testing.T, u string) *DB {
	db, err := Open(context.Background(), u, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrateIsIdempotentAndGrantsExactly(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	applied, err := Migrate(ctx, tdb.adminURL, AppRole{Name: tdb.role})
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v", applied)
	}
	rows, err := tdb.db.pool.Query(ctx, `SELECT table_name || ':' || privilege_type FROM information_schema.role_table_grants
		WHERE grantee = $1 ORDER BY 1`, tdb.role)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"account_events:DELETE", "account_events:INSERT", "account_events:SELECT", "audit_log:INSERT", "audit_log:SELECT", "discussion_rounds:DELETE", "discussion_rounds:INSERT", "discussion_rounds:SELECT", "discussion_rounds:UPDATE",
		"discussions:DELETE", "discussions:INSERT", "discussions:SELECT", "discussions:UPDATE",
		"invitations:INSERT", "invitations:SELECT", "invitations:UPDATE",
		"memberships:DELETE", "memberships:INSERT", "memberships:SELECT", "memberships:UPDATE",
		"messages:DELETE", "messages:INSERT", "messages:SELECT", "messages:UPDATE",
		"personas:DELETE", "personas:INSERT", "personas:SELECT", "personas:UPDATE",
		"providers:DELETE", "providers:INSERT", "providers:SELECT", "providers:UPDATE",
		"schema_migrations:SELECT", "secret_keys:INSERT", "secret_keys:SELECT",
		"slug_holds:DELETE", "slug_holds:INSERT", "slug_holds:SELECT", "slug_holds:UPDATE",
		"tenant_budgets:DELETE", "tenant_budgets:INSERT", "tenant_budgets:SELECT", "tenant_budgets:UPDATE",
		"tenants:DELETE", "tenants:INSERT", "tenants:SELECT", "tenants:UPDATE",
		"usage_daily:INSERT", "usage_daily:SELECT", "usage_daily:UPDATE",
		"users:DELETE", "users:INSERT", "users:SELECT", "users:UPDATE"}
	if !slices.Equal(got, want) {
		t.Fatalf("runtime grants = %v\nwant %v", got, want)
	}
	var super, bypass bool
	tdb.db.pool.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, tdb.role).Scan(&super, &bypass)
	if super || bypass {
		t.Fatalf("runtime role super=%v bypassrls=%v", super, bypass)
	}
	if _, err := tdb.db.pool.Exec(ctx, `DELETE FROM schema_migrations`); err == nil {
		t.Fatal("runtime role could delete schema_migrations")
	}
}

// TestMigrateRefusesARoleThatOwnsTables: a runtime role that owns relations
// is not silently granted on top.
func TestMigrateRefusesARoleThatOwnsTables(t *testing.T) {
	tdb := newTestDB(t)
	admin(t, tdb.adminURL, `CREATE TABLE stray (x int)`, `ALTER TABLE stray OWNER TO `+tdb.role)
	_, err := Migrate(context.Background(), tdb.adminURL, AppRole{Name: tdb.role})
	if err == nil || !strings.Contains(err.Error(), "must own nothing") {
		t.Fatalf("Migrate = %v, want a refusal naming ownership", err)
	}
}

// TestEveryTenantTableIsConfined finds every table with a tenant_id in the
// catalog (so tables added later are covered without editing this test)
// and checks that an unfiltered SELECT in tenant B's transaction sees
// exactly B's rows.
func TestEveryTenantTableIsConfined(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, b := rlsFixture(t, tdb.db)
	for _, tenant := range []string{a.ID, a.ID, b.ID} {
		p, err := tdb.db.CreateProvider(ctx, store.Provider{TenantID: tenant, Kind: "ollama", Name: "p" + store.NewID()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tdb.db.CreatePersona(ctx, store.Persona{TenantID: tenant, Name: "x" + store.NewID(), ProviderID: p.ID, Model: "m"}); err != nil {
			t.Fatal(err)
		}
		d, err := tdb.db.CreateDiscussion(ctx, store.Discussion{TenantID: tenant, Title: "d", Mode: store.ModeSingle})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tdb.db.AddMessage(ctx, store.Message{TenantID: tenant, DiscussionID: d.ID, Role: "user", Status: store.StatusDone}); err != nil {
			t.Fatal(err)
		}
		if err := tdb.db.AddRound(ctx, store.Round{TenantID: tenant, DiscussionID: d.ID, TurnID: "t", Round: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := tdb.db.AppendAudit(ctx, store.AuditEntry{TenantID: tenant, Action: "x"}, func(*store.AuditEntry) string { return "h" }); err != nil {
			t.Fatal(err)
		}
		if err := tdb.db.AddUsage(ctx, tenant, "u"+store.NewID(), "2026-11-27", 10); err != nil {
			t.Fatal(err)
		}
		limit := int64(5)
		if err := tdb.db.SetBudget(ctx, store.Budget{TenantID: tenant, UserDaily: &limit}); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		if _, err := tdb.db.UpsertInvitation(ctx, store.Invitation{TenantID: tenant, Email: store.NewID() + "@example.com", Role: "member",
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}, store.NewID()); err != nil {
			t.Fatal(err)
		}
		slug := "s" + store.NewID() // the rename holds the previous slug
		if _, err := tdb.db.UpdateTenant(ctx, tenant, store.UpdateTenant{Slug: &slug, SlugHold: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	owner, err := pgx.Connect(ctx, tdb.adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close(ctx)
	rows, _ := owner.Query(ctx, `SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace AND a.attname = 'tenant_id' ORDER BY 1`)
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) < 3 {
		t.Fatalf("tenant tables = %v, %v", tables, err)
	}
	for _, table := range tables {
		var want, total, got int
		owner.QueryRow(ctx, `SELECT count(*) FILTER (WHERE tenant_id = $1), count(*) FROM `+table, b.ID).Scan(&want, &total)
		err := tdb.db.withTenantTx(ctx, b.ID, func(tx pgx.Tx) error {
			return tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&got)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got != want || total <= want {
			t.Errorf("%s: B's unfiltered SELECT saw %d rows; B has %d of %d", table, got, want, total)
		}
	}
}

// TestRuntimeRoleCannotRewriteTheAuditLog: INSERT and SELECT only.
func TestRuntimeRoleCannotRewriteTheAuditLog(t *testing.T) {
	ctx := context.Background()
	tdb := newTestDB(t)
	a, _ := rlsFixture(t, tdb.db)
	if _, err := tdb.db.AppendAudit(ctx, store.AuditEntry{TenantID: a.ID, Action: "x"}, func(*store.AuditEntry) string { return "h" }); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE audit_log SET action = 'y'`, `DELETE FROM audit_log`} {
		err := tdb.db.withTenantTx(ctx, a.ID, func(tx pgx.Tx) error { _, err := tx.Exec(ctx, q); return err })
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Fatalf("%s as the runtime role: %v, want permission denied", q, err)
		}
	}
}

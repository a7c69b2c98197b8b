package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// testDB is a migrated database with its own runtime role.
type testDB struct {
	adminURL, appURL, role string
	db                     *DB
}

func newTestDB(t testing.TB) testDB {
	t.Helper()
	ctx := context.Background()
	adminURL := pgtest.NewDatabase(t)
	b := make([]byte, 4)
	rand.Read(b)
	role := "nyx_app_" + hex.EncodeToString(b)
	if _, err := Migrate(ctx, adminURL, AppRole{Name: role, Password: "app-secret"}); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	t.Cleanup(func() { dropRole(t, adminURL, role) })
	u, _ := url.Parse(adminURL)
	u.User = url.UserPassword(role, "app-secret")
	db, err := Open(ctx, u.String(), 8)
	if err != nil {
		t.Fatalf("open as runtime role: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return testDB{adminURL: adminURL, appURL: u.String(), role: role, db: db}
}

func dropRole(t testing.TB, adminURL, role string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Logf("drop role: %v", err)
		return
	}
	defer conn.Close(ctx)
	name := pgx.Identifier{role}.Sanitize()
	conn.Exec(ctx, `DROP OWNED BY `+name)
	if _, err := conn.Exec(ctx, `DROP ROLE `+name); err != nil {
		t.Logf("drop role: %v", err)
	}
}

// admin runs statements as the database owner.
func admin(t testing.TB, adminURL string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		tdb := newTestDB(t)
		tdb.db.pool.Reset()
		db, err := Open(context.Background(), tdb.appURL, 4)
		if err != nil {
			t.Fatal(err)
		}
		return db
	})
}

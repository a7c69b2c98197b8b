package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { os.Exit(Run(m)) }

// connect opens a connection closed at the end of the test.
func connect(t *testing.T, connURL string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		t.Fatalf("connect %s: %v", connURL, err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// dbName returns the database named in connURL.
func dbName(t *testing.T, connURL string) string {
	t.Helper()
	u, err := url.Parse(connURL)
	if err != nil {
		t.Fatalf("parse %s: %v", connURL, err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// databaseExists asks the admin URL whether a database is in pg_database.
func databaseExists(t *testing.T, name string) bool {
	t.Helper()
	var exists bool
	err := connect(t, AdminURL(t)).QueryRow(context.Background(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		t.Fatalf("query pg_database: %v", err)
	}
	return exists
}

func TestAdminURLIsSuperuser(t *testing.T) {
	var super bool
	err := connect(t, AdminURL(t)).QueryRow(context.Background(),
		"SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super)
	if err != nil {
		t.Fatalf("query role: %v", err)
	}
	if !super {
		t.Fatalf("AdminURL connects as a non-superuser")
	}
}

func TestNewDatabaseIsUsableAndIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := NewDatabase(t), NewDatabase(t)
	if a == b {
		t.Fatalf("two calls returned the same URL %s", a)
	}

	connA := connect(t, a)
	if _, err := connA.Exec(ctx, "CREATE TABLE widgets (id int PRIMARY KEY)"); err != nil {
		t.Fatalf("create table: %v", err)
	}
	if _, err := connA.Exec(ctx, "INSERT INTO widgets VALUES (1), (2)"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var n int
	if err := connA.QueryRow(ctx, "SELECT count(*) FROM widgets").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count widgets = %d, %v; want 2, nil", n, err)
	}

	connB := connect(t, b)
	var current string
	var missing bool
	if err := connB.QueryRow(ctx, "SELECT current_database(), to_regclass('widgets') IS NULL").Scan(&current, &missing); err != nil {
		t.Fatalf("query second database: %v", err)
	}
	if current != dbName(t, b) || !strings.HasPrefix(current, "nyx_test_") {
		t.Errorf("second URL connects to %q; want %q with prefix nyx_test_", current, dbName(t, b))
	}
	if !missing {
		t.Errorf("table created in %s is visible in %s", dbName(t, a), current)
	}
}

func TestNewDatabaseDroppedAfterCleanup(t *testing.T) {
	var name string
	var leaked *pgx.Conn
	t.Run("use", func(t *testing.T) {
		dbURL := NewDatabase(t)
		name = dbName(t, dbURL)
		if !databaseExists(t, name) {
			t.Fatalf("database %s not in pg_database", name)
		}
		// Leave a connection open past the cleanup: the drop must force
		// it closed rather than fail with "being accessed by other users".
		var err error
		if leaked, err = pgx.Connect(context.Background(), dbURL); err != nil {
			t.Fatalf("connect: %v", err)
		}
	})
	if leaked != nil {
		defer leaked.Close(context.Background())
	}
	if name == "" {
		t.Fatalf("subtest did not create a database")
	}
	if databaseExists(t, name) {
		t.Fatalf("database %s still exists after its test's cleanup", name)
	}
}

func TestNewDatabaseParallel(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			conn := connect(t, NewDatabase(t))
			var one int
			if err := conn.QueryRow(context.Background(), "SELECT 1").Scan(&one); err != nil || one != 1 {
				t.Fatalf("SELECT 1 = %d, %v", one, err)
			}
		})
	}
}

func TestWithDatabaseKeepsEverythingButThePath(t *testing.T) {
	got, err := withDatabase("postgres://u:p%40ss@db.example:6543/postgres?sslmode=disable&application_name=x", "nyx_test_ab")
	if err != nil {
		t.Fatalf("withDatabase: %v", err)
	}
	want := "postgres://u:p%40ss@db.example:6543/nyx_test_ab?sslmode=disable&application_name=x"
	if got != want {
		t.Errorf("withDatabase = %s; want %s", got, want)
	}
}

func TestHighestVersionComparesNumerically(t *testing.T) {
	got := highestVersion([]string{"/usr/lib/postgresql/9.6/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/10/bin"})
	if want := "/usr/lib/postgresql/15/bin"; got != want {
		t.Errorf("highestVersion = %s; want %s", got, want)
	}
}

func TestReadPID(t *testing.T) {
	path := t.TempDir() + "/postmaster.pid"
	if err := os.WriteFile(path, []byte("4242\n/some/data\n1700000000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if pid, ok := readPID(path); !ok || pid != 4242 {
		t.Errorf("readPID = %d, %v; want 4242, true", pid, ok)
	}
	if _, ok := readPID(path + ".missing"); ok {
		t.Errorf("readPID of a missing file reports ok")
	}
}

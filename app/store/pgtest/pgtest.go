// Package pgtest gives tests a real PostgreSQL server, found or started once
// per test process.
//
// A test package opts in from its TestMain and then asks for databases:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.NewDatabase(t) // fresh database, dropped in t.Cleanup
//		...
//	}
//
// The server is, in order of preference:
//
//  1. the one named by NYX_TEST_DATABASE_URL, which must be a superuser URL
//     because the package creates and drops databases on it;
//  2. a throwaway cluster that the first caller starts with initdb and pg_ctl
//     (found on PATH or under /usr/lib/postgresql/*/bin, highest version
//     first) in a directory named nyx-pgtest-* under the temp dir, listening
//     on 127.0.0.1 on a free port with durability turned off for speed.
//     PostgreSQL refuses to run as root, so under root the cluster runs as the
//     postgres OS user, or nobody if there is none.
//
// When neither is available the tests are skipped with a hint, except when
// the CI environment variable is true: there a missing database must fail the
// build rather than silently skip the tests that need it.
//
// TestMain must call Run: Run stops the throwaway cluster and removes its
// directory after the tests, and AdminURL refuses to work without it so a
// forgotten TestMain shows up at once instead of as leaked servers. Run also
// stops the cluster when the test binary gets SIGINT or SIGTERM. A cluster
// still leaks when the binary dies without running any cleanup (the panic
// from go test -timeout, SIGKILL), because pg_ctl detaches the postmaster
// into its own session and PostgreSQL has no option to exit with its parent.
// The next test process that starts a throwaway cluster reaps such orphans:
// it stops every nyx-pgtest-* cluster whose owning test process is gone and
// removes its directory.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDatabaseURL names the environment variable holding the superuser URL of
// an existing server to use instead of starting a throwaway cluster.
const EnvDatabaseURL = "NYX_TEST_DATABASE_URL"

var (
	// runActive is set by Run; without it nothing would stop a started
	// cluster, so AdminURL refuses to start one.
	runActive atomic.Bool

	// once guards the one attempt per process to find or start a server;
	// every caller then shares its outcome, including its failure.
	once     sync.Once
	adminURL string
	adminErr error

	// mu guards the cluster state below, which Run's shutdown and the
	// signal handler touch concurrently with the first AdminURL call.
	mu      sync.Mutex
	current *cluster
	stopped bool // Run has shut down; a late caller must not start a new cluster
)

// Run runs the tests of m and then stops the throwaway cluster this process
// started, if any, and removes its directory. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }
//
// If the cluster cannot be stopped, Run reports why on stderr and turns a
// passing exit code into a failing one, because nothing else would notice
// the leaked server.
func Run(m *testing.M) int {
	runActive.Store(true)
	release := onInterrupt(func() {
		if err := shutdown(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	})
	code := m.Run()
	release()
	if err := shutdown(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// AdminURL returns a superuser connection URL (postgres://...) to the test
// server, finding or starting it on first use. If no server can be had it
// skips the test with the reason and how to fix it, or fails the test when
// the CI environment variable is true.
func AdminURL(t testing.TB) string {
	t.Helper()
	if !runActive.Load() {
		t.Fatalf("pgtest: TestMain must call pgtest.Run (func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }) so the test server is shut down")
	}
	once.Do(func() {
		var c *cluster
		adminURL, c, adminErr = setup()
		if c != nil {
			t.Logf("pgtest: started throwaway PostgreSQL from %s in %s at %s", c.bin, c.startup.Round(time.Millisecond), c.dir)
		}
	})
	if adminErr != nil {
		if inCI() {
			t.Fatalf("pgtest: no PostgreSQL server (failing instead of skipping because CI=%s): %v", os.Getenv("CI"), adminErr)
		}
		t.Skipf("pgtest: no PostgreSQL server: %v\n"+
			"To run this test, set %s to a superuser URL such as postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable, "+
			"or install the PostgreSQL server (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin).",
			adminErr, EnvDatabaseURL)
	}
	return adminURL
}

// NewDatabase creates a fresh, uniquely named database on the test server
// and returns a superuser URL for it. The database is dropped WITH (FORCE) in
// t.Cleanup, so connections the test left open do not keep it alive.
func NewDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)

	name := "nyx_test_" + randomHex(8)
	dbURL, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ident := pgx.Identifier{name}.Sanitize()

	// t.Context is already canceled when cleanups run, so both statements
	// get their own bounded context.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := execOn(ctx, admin, "CREATE DATABASE "+ident); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := execOn(ctx, admin, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return dbURL
}

// setup finds or starts the server and returns its superuser URL, and the
// cluster if it started one.
func setup() (string, *cluster, error) {
	if raw := os.Getenv(EnvDatabaseURL); raw != "" {
		u, err := checkExternal(raw)
		return u, nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	if stopped {
		return "", nil, errors.New("pgtest.Run has already shut down; cannot start a server after the tests finished")
	}
	c, err := startCluster()
	if err != nil {
		return "", nil, err
	}
	current = c
	return c.url, c, nil
}

// checkExternal verifies the server named by NYX_TEST_DATABASE_URL up front,
// so a typo or a non-superuser role is reported once with the variable's name
// instead of as puzzling failures in every test.
func checkExternal(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL, got %q", EnvDatabaseURL, raw)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, raw)
	if err != nil {
		return "", fmt.Errorf("%s=%s: %w", EnvDatabaseURL, u.Redacted(), err)
	}
	defer conn.Close(context.Background())
	var super bool
	if err := conn.QueryRow(ctx, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").Scan(&super); err != nil {
		return "", fmt.Errorf("%s=%s: check role: %w", EnvDatabaseURL, u.Redacted(), err)
	}
	if !super {
		return "", fmt.Errorf("%s=%s: role is not a superuser; pgtest needs one to create and force-drop databases", EnvDatabaseURL, u.Redacted())
	}
	return raw, nil
}

// shutdown stops the throwaway cluster, if one was started, and keeps any
// later caller from starting another.
func shutdown() error {
	mu.Lock()
	defer mu.Unlock()
	stopped = true
	if current == nil {
		return nil
	}
	c := current
	current = nil
	return c.destroy()
}

// inCI reports whether CI is set to a true value. ParseBool also accepts
// spellings such as 1 and TRUE, erring towards failing rather than skipping.
func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}

// execOn runs one statement on a short-lived connection. CREATE and DROP
// DATABASE are rare enough that a pool would only add state to clean up.
func execOn(ctx context.Context, connURL, sql string) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns connURL pointing at database name, keeping the
// credentials, host and query parameters such as sslmode.
func withDatabase(connURL, name string) (string, error) {
	u, err := url.Parse(connURL)
	if err != nil {
		return "", fmt.Errorf("parse server URL: %w", err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// randomHex returns 2n lowercase hex digits, which need no quoting in a
// database name and make collisions between parallel tests negligible.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}

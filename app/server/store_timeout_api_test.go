package server_test

import (
	"context"
	"database/sql"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// lockable is a backend whose tables a test can lock from a connection
// of its own, so the server's next write there blocks for real.
type lockable struct {
	name string
	// open opens a fresh store and returns lock, which takes the lock on
	// table (SQLite: the whole file's write lock) and returns its release.
	open func(t *testing.T) (store.Store, func(t *testing.T, table string) func())
}

var lockables = []lockable{
	{"sqlite", func(t *testing.T) (store.Store, func(t *testing.T, table string) func()) {
		path := filepath.Join(t.TempDir(), sqlite.FileName)
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		return db, func(t *testing.T, table string) func() {
			// Another writer holds SQLite's write lock, as a long
			// `nyxcore backup` or a stuck maintenance script would.
			raw, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			conn, err := raw.Conn(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
				t.Fatal(err)
			}
			return func() {
				conn.ExecContext(context.Background(), "ROLLBACK")
				conn.Close()
				raw.Close()
			}
		}
	}},
	{"postgres", func(t *testing.T) (store.Store, func(t *testing.T, table string) func()) {
		ctx := context.Background()
		owner := pgtest.NewDatabase(t)
		role := "nyx_app_" + strings.TrimPrefix(strings.TrimPrefix(mustParse(t, owner).Path, "/"), "nyx_test_")
		if _, err := postgres.Migrate(ctx, owner, postgres.AppRole{Name: role, Password: "pw"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dropRole(owner, role) })
		pu := mustParse(t, owner)
		pu.User = url.UserPassword(role, "pw")
		db, err := postgres.Open(ctx, pu.String(), 4)
		if err != nil {
			t.Fatal(err)
		}
		return db, func(t *testing.T, table string) func() {
			// The owner locks the table, as a migration or a VACUUM FULL would.
			conn, err := pgx.Connect(ctx, owner)
			if err != nil {
				t.Fatal(err)
			}
			tx, err := conn.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, "LOCK TABLE "+pgx.Identifier{table}.Sanitize()+" IN ACCESS EXCLUSIVE MODE"); err != nil {
				t.Fatal(err)
			}
			return func() {
				tx.Rollback(ctx)
				conn.Close(ctx)
			}
		}
	}},
}

// TestStoreCallPastTimeoutAnswers503: a request whose store call is blocked
// (the table locked by another connection) answers 503 store_timeout once
// api.store_timeout has passed — not a hang until the lock goes, not a 500
// — and changes nothing; once the lock is gone the same request works.
func TestStoreCallPastTimeoutAnswers503(t *testing.T) {
	t.Setenv("NYX_API_STORE_TIMEOUT", "300ms")
	for _, b := range lockables {
		t.Run(b.name, func(t *testing.T) {
			var lock func(t *testing.T, table string) func()
			e := newEnv(t, func(t *testing.T) store.Store {
				st, l := b.open(t)
				lock = l
				return st
			})
			persona := map[string]any{"name": "Stuck", "provider_id": "local-ollama", "model": "llama3.2:1b"}
			release := lock(t, "personas")
			t.Cleanup(release) // a hung request must not outlive the test
			done := make(chan response, 1)
			start := time.Now()
			go func() { done <- e.call("carol", "POST", "/api/nyx/tenants/acme/personas", persona) }()
			var r response
			select {
			case r = <-done:
			case <-time.After(8 * time.Second):
				t.Fatal("a request blocked on the store still has no answer after 8s")
			}
			if r.status != 503 || r.json["code"] != "store_timeout" {
				t.Fatalf("blocked store call: %d %s", r.status, r.raw)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("answered after %s with a 300ms store timeout", took)
			}
			release()
			if got := e.must(e.call("carol", "GET", "/api/nyx/tenants/acme/personas", nil), 200); strings.Contains(got.raw, "Stuck") {
				t.Fatalf("the timed-out create left a persona behind: %s", got.raw)
			}
			e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/personas", persona), 201)
		})
	}
}

// TestPostingPastTimeoutAnswers503: posting a message writes it (and
// reserves budget) on the engine's store, which is not the handlers'
// bounded one; with the messages table locked the post answered only when
// the lock went. Now it answers 503 store_timeout after api.store_timeout,
// no turn is left running, and the same post works once the lock is gone.
func TestPostingPastTimeoutAnswers503(t *testing.T) {
	t.Setenv("NYX_API_STORE_TIMEOUT", "300ms")
	for _, b := range lockables {
		t.Run(b.name, func(t *testing.T) {
			var lock func(t *testing.T, table string) func()
			e := newEnv(t, func(t *testing.T) store.Store {
				st, l := b.open(t)
				lock = l
				return st
			})
			per := e.persona("Ada", "tiny", nil)
			disc := e.must(e.call("carol", "POST", "/api/nyx/tenants/acme/discussions", map[string]any{"mode": "single", "persona_ids": []string{per}}), 201).json["id"].(string)
			path := "/api/nyx/tenants/acme/discussions/" + disc
			release := lock(t, "messages")
			t.Cleanup(release)
			done := make(chan response, 1)
			start := time.Now()
			go func() { done <- e.call("carol", "POST", path+"/messages", map[string]any{"content": "Hello?"}) }()
			var r response
			select {
			case r = <-done:
			case <-time.After(8 * time.Second):
				t.Fatal("a post blocked on the store still has no answer after 8s")
			}
			if r.status != 503 || r.json["code"] != "store_timeout" {
				t.Fatalf("blocked post: %d %s", r.status, r.raw)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("answered after %s with a 300ms store timeout", took)
			}
			release()
			got := e.waitTurn(disc)
			if msgs, _ := got.json["messages"].([]any); len(msgs) != 0 {
				t.Fatalf("the timed-out post left messages: %s", got.raw)
			}
			e.must(e.call("carol", "POST", path+"/messages", map[string]any{"content": "Hello?"}), 202)
		})
	}
}

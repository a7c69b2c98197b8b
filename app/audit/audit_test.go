package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// keysFor derives the audit keys of a master key given as 64 hex digits.
func keysFor(t *testing.T, hexKey string) *audit.Keys {
	t.Helper()
	m, err := secret.ParseMaster(hexKey)
	if err != nil {
		t.Fatal(err)
	}
	return audit.NewKeys(m.AuditKeys())
}

// The server's master key, and the one an attacker guesses.
const (
	serverMaster = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	wrongMaster  = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
)

// backend is a store as the server runs it, the owner's connection that
// `db migrate` re-seals with, and an attacker with full write access to
// the database (triggers dropped, or a PostgreSQL superuser).
type backend struct {
	st    store.Store
	owner store.AuditStore
	// exec runs one statement as the attacker; ? placeholders.
	exec func(t *testing.T, q string, args ...any)
	path string // SQLite: the nyx.db file
}

func backends() map[string]func(t *testing.T) backend {
	return map[string]func(t *testing.T) backend{"sqlite": openSQLite, "postgres": openPostgres}
}

func openSQLite(t *testing.T) backend {
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return backend{st: st, owner: st, path: path, exec: func(t *testing.T, q string, args ...any) {
		t.Helper()
		raw, err := sql.Open("sqlite", "file:"+path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		for _, s := range []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"} {
			if _, err := raw.Exec(s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if _, err := raw.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}}
}

// openPostgres migrates as a schema owner that is not a superuser (as in
// production, FORCE RLS applies to it), serves as the runtime role, and
// attacks as the superuser.
func openPostgres(t *testing.T) backend {
	ctx := context.Background()
	super := pgtest.NewDatabase(t)
	u, _ := url.Parse(super)
	dbName := strings.TrimPrefix(u.Path, "/")
	suffix := strings.TrimPrefix(dbName, "nyx_test_")
	ownerRole, appRole := "nyx_own_"+suffix, "nyx_app_"+suffix
	superExec(t, super, `CREATE ROLE `+ownerRole+` LOGIN PASSWORD 'pw'`)
	superExec(t, super, `ALTER DATABASE `+dbName+` OWNER TO `+ownerRole)
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, super); err == nil {
			for _, r := range []string{appRole, ownerRole} {
				c.Exec(ctx, "DROP OWNED BY "+r)
				c.Exec(ctx, "DROP ROLE "+r)
			}
			c.Close(ctx)
		}
	})
	ownerURL, appURL := *u, *u
	ownerURL.User, appURL.User = url.UserPassword(ownerRole, "pw"), url.UserPassword(appRole, "pw")
	if _, err := postgres.Migrate(ctx, ownerURL.String(), postgres.AppRole{}); err != nil {
		t.Fatal(err)
	}
	// Role provisioning needs CREATEROLE; the schema stays the owner's.
	if _, err := postgres.Migrate(ctx, super, postgres.AppRole{Name: appRole, Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	st := openPG(t, appURL.String())
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	return backend{st: st, owner: openPG(t, ownerURL.String()), exec: func(t *testing.T, q string, args ...any) {
		t.Helper()
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
		superExec(t, super, q, args...)
	}}
}

func openPG(t *testing.T, u string) *postgres.DB {
	st, err := postgres.Open(context.Background(), u, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// superExec runs one statement as the superuser.
func superExec(t *testing.T, super string, q string, args ...any) {
	t.Helper()
	ctx := context.Background()
	c, err := pgx.Connect(ctx, super)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// newTenant creates a tenant owned by u1.
func newTenant(t *testing.T, st store.Store, slug string) string {
	ctx := context.Background()
	if err := st.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	tn, err := st.CreateTenant(ctx, slug, slug, "u1")
	if err != nil {
		t.Fatal(err)
	}
	return tn.ID
}

// record appends n entries to tenant's chain through log, concurrently.
func record(t *testing.T, log *audit.Log, tenant string, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := log.Record(context.Background(), audit.Entry{TenantID: tenant, ActorID: "u1", ActorEmail: "a@example.com", Action: "member.add",
				TargetType: "user", TargetID: fmt.Sprintf("u%d", i), IP: "203.0.113.7", UserAgent: "test", Details: map[string]any{"role": "member"}})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// seed creates a tenant with n entries sealed under the server's keys.
func seed(t *testing.T, st store.Store, n int) string {
	tenant := newTenant(t, st, "acme")
	record(t, audit.New(st, keysFor(t, serverMaster)), tenant, n)
	return tenant
}

// chain returns the tenant's entries in order.
func chain(t *testing.T, st store.AuditStore, tenant string) []store.AuditEntry {
	var out []store.AuditEntry
	if err := st.ChainAudit(context.Background(), tenant, func(e store.AuditEntry) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// wantBroken asserts err is a *BrokenError at seq whose reason says why.
func wantBroken(t *testing.T, err error, seq int64, reason string) *audit.BrokenError {
	t.Helper()
	var broken *audit.BrokenError
	if !errors.As(err, &broken) || !errors.Is(err, audit.ErrBroken) || broken.Seq != seq || !strings.Contains(broken.Reason, reason) {
		t.Fatalf("got %v, want entry %d broken: %s", err, seq, reason)
	}
	return broken
}

func TestChainHoldsUnderConcurrentAppends(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			tenant := seed(t, b.st, 40)
			n, err := audit.Verify(context.Background(), b.st, keysFor(t, serverMaster), tenant, nil)
			if err != nil || n != 40 {
				t.Fatalf("Verify = %d, %v; want 40 intact entries", n, err)
			}
			page, err := b.st.ListAudit(context.Background(), tenant, store.FindAudit{Limit: 5})
			if err != nil || len(page) != 5 || page[0].Seq != 40 || !strings.HasPrefix(page[0].Hash, "v2:") {
				t.Fatalf("newest page = %+v, %v", page, err)
			}
		})
	}
}

func TestVerifyFindsTheFirstBrokenEntry(t *testing.T) {
	cases := []struct {
		name, sql string
		seq       int64
		reason    string
	}{
		{"one altered byte", `UPDATE audit_log SET action = 'member.adE' WHERE seq = 7`, 7, "altered"},
		{"altered details", `UPDATE audit_log SET details = '{"role":"owner"}' WHERE seq = 3`, 3, "altered"},
		{"deleted entry", `DELETE FROM audit_log WHERE seq = 5`, 6, "missing"},
		{"rehashed entry", `UPDATE audit_log SET hash = 'v2:ff' || substr(hash, 6) WHERE seq = 4`, 4, "altered"},
		{"bare hash", `UPDATE audit_log SET hash = substr(hash, 4) WHERE seq = 2`, 2, "unkeyed v1"},
	}
	for name, open := range backends() {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				b := open(t)
				tenant := seed(t, b.st, 10)
				b.exec(t, c.sql)
				_, err := audit.Verify(context.Background(), b.st, keysFor(t, serverMaster), tenant, nil)
				wantBroken(t, err, c.seq, c.reason)
			})
		}
	}
}

func TestSealIsUnambiguous(t *testing.T) {
	k := keysFor(t, serverMaster)
	a := store.AuditEntry{TenantID: "t", Action: "a:b", TargetID: "c"}
	b := store.AuditEntry{TenantID: "t", Action: "a", TargetID: "b:c"}
	if k.Seal(&a) == k.Seal(&b) || audit.LegacySeal(&a) == audit.LegacySeal(&b) {
		t.Fatal("different entries sealed alike")
	}
	if k.Seal(&a) == keysFor(t, wrongMaster).Seal(&a) {
		t.Fatal("two master keys seal alike")
	}
}

func FuzzVerifyNeverPanics(f *testing.F) {
	f.Add("member.add", "details", int64(1))
	k := audit.NewKeys([]byte("fuzz chain"), []byte("fuzz checkpoint"))
	f.Fuzz(func(t *testing.T, action, details string, seq int64) {
		e := store.AuditEntry{TenantID: "t", Seq: seq, Action: action, Details: []byte(details)}
		if k.Seal(&e) == "" || audit.LegacySeal(&e) == "" {
			t.Fatal("empty seal")
		}
	})
}

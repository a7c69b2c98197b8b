package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Run(m)) }

// backend is a store plus a way to tamper with it behind the app's back.
type backend struct {
	st     store.Store
	tamper func(t *testing.T, sql string)
}

func backends(t *testing.T) map[string]func(t *testing.T) backend {
	return map[string]func(t *testing.T) backend{
		"sqlite": func(t *testing.T) backend {
			path := filepath.Join(t.TempDir(), sqlite.FileName)
			st, err := sqlite.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			return backend{st: st, tamper: func(t *testing.T, q string) {
				raw, err := sql.Open("sqlite", "file:"+path)
				if err != nil {
					t.Fatal(err)
				}
				defer raw.Close()
				for _, s := range []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete", q} {
					if _, err := raw.Exec(s); err != nil {
						t.Fatalf("%s: %v", s, err)
					}
				}
			}}
		},
		"postgres": func(t *testing.T) backend {
			ctx := context.Background()
			owner := pgtest.NewDatabase(t)
			u, _ := url.Parse(owner)
			role := "nyx_app_" + strings.TrimPrefix(strings.TrimPrefix(u.Path, "/"), "nyx_test_")
			if _, err := postgres.Migrate(ctx, owner, postgres.AppRole{Name: role, Password: "pw"}); err != nil {
				t.Fatal(err)
			}
			u.User = url.UserPassword(role, "pw")
			st, err := postgres.Open(ctx, u.String(), 8)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				st.Close()
				if c, err := pgx.Connect(ctx, owner); err == nil {
					c.Exec(ctx, "DROP OWNED BY "+role)
					c.Exec(ctx, "DROP ROLE "+role)
					c.Close(ctx)
				}
			})
			return backend{st: st, tamper: func(t *testing.T, q string) {
				c, err := pgx.Connect(ctx, owner)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close(ctx)
				if _, err := c.Exec(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}}
		},
	}
}

func seed(t *testing.T, st store.Store, n int) string {
	ctx := context.Background()
	if err := st.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	tn, err := st.CreateTenant(ctx, "acme", "Acme", "u1")
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(st)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := log.Record(ctx, audit.Entry{TenantID: tn.ID, ActorID: "u1", ActorEmail: "a@example.com", Action: "member.add",
				TargetType: "user", TargetID: fmt.Sprintf("u%d", i), IP: "203.0.113.7", UserAgent: "test", Details: map[string]any{"role": "member"}})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return tn.ID
}

func TestChainHoldsUnderConcurrentAppends(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			tenant := seed(t, b.st, 40)
			n, err := audit.Verify(context.Background(), b.st, tenant)
			if err != nil || n != 40 {
				t.Fatalf("Verify = %d, %v; want 40 intact entries", n, err)
			}
			page, err := b.st.ListAudit(context.Background(), tenant, store.FindAudit{Limit: 5})
			if err != nil || len(page) != 5 || page[0].Seq != 40 {
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
		{"rehashed entry", `UPDATE audit_log SET hash = 'ff' || substr(hash, 3) WHERE seq = 4`, 4, "altered"},
	}
	for name, open := range backends(t) {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				b := open(t)
				tenant := seed(t, b.st, 10)
				b.tamper(t, c.sql)
				_, err := audit.Verify(context.Background(), b.st, tenant)
				var broken *audit.BrokenError
				if !errors.As(err, &broken) || broken.Seq != c.seq || !strings.Contains(broken.Reason, c.reason) || !errors.Is(err, audit.ErrBroken) {
					t.Fatalf("Verify = %v, want entry %d %s", err, c.seq, c.reason)
				}
			})
		}
	}
}

func TestSealIsUnambiguous(t *testing.T) {
	a := store.AuditEntry{TenantID: "t", Action: "a:b", TargetID: "c"}
	b := store.AuditEntry{TenantID: "t", Action: "a", TargetID: "b:c"}
	if audit.Seal(&a) == audit.Seal(&b) {
		t.Fatal("different entries sealed alike")
	}
}

func FuzzVerifyNeverPanics(f *testing.F) {
	f.Add("member.add", "details", int64(1))
	f.Fuzz(func(t *testing.T, action, details string, seq int64) {
		e := store.AuditEntry{TenantID: "t", Seq: seq, Action: action, Details: []byte(details)}
		if audit.Seal(&e) == "" {
			t.Fatal("empty seal")
		}
	})
}

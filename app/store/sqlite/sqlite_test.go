package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
	"github.com/nyxcore/nyxcore/app/store/storetest"
)

func open(t *testing.T) store.Store {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) { storetest.Run(t, open) }

func TestReopenKeepsDataAndSkipsAppliedMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTenant(ctx, "acme", "Acme", "u1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if err := db.Check(ctx); err != nil {
		t.Fatalf("Check after reopen: %v", err)
	}
	if _, err := db.ResolveTenant(ctx, store.FindTenant{Slug: "acme"}); err != nil {
		t.Fatalf("tenant lost across reopen: %v", err)
	}
}

func TestSnapshotIsConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx, filepath.Join(dir, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.UpsertUser(ctx, store.User{ID: "u1", Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(dir, "snap.db")
	if err := db.Snapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	copyDB, err := sqlite.Open(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if u, err := copyDB.GetUser(ctx, "u1"); err != nil || u.Email != "a@example.com" {
		t.Fatalf("snapshot user = %+v, %v", u, err)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AppendAudit(ctx, store.AuditEntry{TenantID: "t1", Action: "x"}, func(*store.AuditEntry) string { return "h" }); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`UPDATE audit_log SET action = 'y'`, `DELETE FROM audit_log`} {
		if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v, want the append-only refusal", q, err)
		}
	}
}

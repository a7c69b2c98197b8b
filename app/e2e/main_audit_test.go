package e2e

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// auditedDataDir runs the embedded server through a sign-up and a tenant
// with checkpoints going to a file, and stops it; it returns the data dir,
// the environment and the checkpoint file.
func auditedDataDir(t *testing.T) (string, []string, string) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	env := cleanEnv("NYX_AUDIT_CHECKPOINT_FILE=" + file)
	s := serve(t, env, dir)
	_, tok := s.signUp(t, "ada@example.com")
	s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"})
	s.api(t, "GET", "/api/nyx/tenants/lab/audit", tok, nil)
	s.stop(t)
	if !strings.Contains(s.out.String(), "checkpoint=nyxcp1.") {
		t.Fatalf("the server logged no audit checkpoint:\n%s", s.out)
	}
	return dir, env, file
}

// rawExec changes nyx.db behind the server's back, triggers dropped.
func rawExec(t *testing.T, dir string, stmts ...string) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "nyx.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range append([]string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rehashAll rewrites every chain with seal, as an attacker (or the release
// before keyed chains) would: each hash recomputed over the previous one.
func rehashAll(t *testing.T, dir string, seal func(*store.AuditEntry) string) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "nyx.db"))
	if err != nil {
		t.Fatal(err)
	}
	ids, err := st.AuditTenantIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, id := range ids {
		prev := ""
		err := st.ChainAudit(ctx, id, func(e store.AuditEntry) error {
			e.PrevHash = prev
			e.Hash = seal(&e)
			prev = e.Hash
			updates = append(updates, "UPDATE audit_log SET prev_hash = '"+e.PrevHash+"', hash = '"+e.Hash+"' WHERE id = '"+e.ID+"'")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	rawExec(t, dir, updates...)
}

// TestAuditVerifyWithCheckpointsCatchesADeletedTail: `audit verify
// --checkpoints` passes on the server's own checkpoints, then fails naming
// the checkpoint once the last entry is deleted; without checkpoints the
// cut chain still verifies, and verify says that it cannot tell.
func TestAuditVerifyWithCheckpointsCatchesADeletedTail(t *testing.T) {
	dir, env, file := auditedDataDir(t)
	if st, err := os.Stat(file); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("checkpoint file: %v, %v", st, err)
	}
	out, code := run(t, env, "audit", "verify", "--dir", dir, "--checkpoints", file)
	if code != 0 || !strings.Contains(out, "entries intact") || strings.Contains(out, ", 0 checkpoints hold") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	rawExec(t, dir, `DELETE FROM audit_log WHERE rowid = (SELECT rowid FROM audit_log ORDER BY seq DESC LIMIT 1)`)
	out, code = run(t, env, "audit", "verify", "--dir", dir)
	if code != 0 || !strings.Contains(out, "no --checkpoints given") {
		t.Fatalf("verify without checkpoints: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "audit", "verify", "--dir", dir, "--checkpoints", file)
	if code == 0 || !strings.Contains(out, "BROKEN") || !strings.Contains(out, "against checkpoint seq") || !strings.Contains(out, "entries were deleted") {
		t.Fatalf("verify after deleting the last entry: exit %d\n%s", code, out)
	}
}

// TestAuditVerifyCatchesARehashedChain: the attack of issue #12 through
// the binary: an entry changed and every hash recomputed with the old
// unkeyed code path; verify fails naming the first entry.
func TestAuditVerifyCatchesARehashedChain(t *testing.T) {
	dir, env, _ := auditedDataDir(t)
	rawExec(t, dir, `UPDATE audit_log SET ip = '198.51.100.1' WHERE seq = 1`)
	rehashAll(t, dir, audit.LegacySeal)
	out, code := run(t, env, "audit", "verify", "--dir", dir)
	if code == 0 || !strings.Contains(out, "broken at entry 1 (id ") || !strings.Contains(out, "unkeyed v1") {
		t.Fatalf("verify after rewrite-and-rehash: exit %d\n%s", code, out)
	}
}

// TestDBMigrateResealsV1Chains: chains as the release before keyed chains
// wrote them are re-sealed by `db migrate` and then verify; a tampered v1
// chain is refused, reported and keeps failing verify.
func TestDBMigrateResealsV1Chains(t *testing.T) {
	dir, env, _ := auditedDataDir(t)
	rehashAll(t, dir, audit.LegacySeal)
	out, code := run(t, env, "db", "migrate", "--dir", dir)
	if code != 0 || !strings.Contains(out, "re-sealed") {
		t.Fatalf("db migrate: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "audit", "verify", "--dir", dir)
	if code != 0 || strings.Contains(out, "BROKEN") {
		t.Fatalf("verify after re-seal: exit %d\n%s", code, out)
	}

	rehashAll(t, dir, audit.LegacySeal)
	rawExec(t, dir, `UPDATE audit_log SET action = 'tenant.rename' WHERE seq = 1`)
	out, code = run(t, env, "db", "migrate", "--dir", dir)
	if code != 0 || !strings.Contains(out, "REFUSED") {
		t.Fatalf("db migrate of a tampered v1 chain: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "audit", "verify", "--dir", dir)
	if code == 0 || !strings.Contains(out, "broken at entry 1") {
		t.Fatalf("verify of a refused chain: exit %d\n%s", code, out)
	}
}

// pgRehashAll rewrites every chain on PostgreSQL with seal, as the
// superuser (who bypasses grants and row-level security).
func pgRehashAll(t *testing.T, owner string, seal func(*store.AuditEntry) string) {
	ctx := context.Background()
	st, err := postgres.Open(ctx, owner, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	conn, err := pgx.Connect(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	ids, err := st.AuditTenantIDs(ctx)
	if err != nil || len(ids) == 0 {
		t.Fatalf("audit tenants = %v, %v", ids, err)
	}
	for _, id := range ids {
		var chain []store.AuditEntry
		if err := st.ChainAudit(ctx, id, func(e store.AuditEntry) error { chain = append(chain, e); return nil }); err != nil {
			t.Fatal(err)
		}
		prev := ""
		for _, e := range chain {
			e.PrevHash = prev
			e.Hash = seal(&e)
			prev = e.Hash
			if _, err := conn.Exec(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE tenant_id = $3 AND seq = $4`, e.PrevHash, e.Hash, id, e.Seq); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestProductionAuditChains: on PostgreSQL the server writes keyed chains
// and checkpoints; chains rewritten as v1 fail verify until `db migrate`
// (the owner, with the master key) re-seals them, after which the earlier
// checkpoints hold again; a wiped log then fails against them.
func TestProductionAuditChains(t *testing.T) {
	owner, app, role := pgURLs(t)
	file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	migrate := cleanEnv("NYX_DATABASE_MIGRATE_URL="+owner, "NYX_DATABASE_APP_ROLE="+role, "NYX_DATABASE_APP_PASSWORD=s3cret pass'word", "NYX_MASTER_KEY="+testMasterKey)
	if out, code := run(t, migrate, "db", "migrate"); code != 0 {
		t.Fatalf("db migrate: exit %d\n%s", code, out)
	}
	prod := cleanEnv("NYX_DATABASE_URL="+app, "NYX_REDIS_URL="+kvtest.URL(t), "NYX_MASTER_KEY="+testMasterKey,
		"NYX_AUTH_SIGNUP=open", "NYX_AUDIT_CHECKPOINT_FILE="+file)
	dir := t.TempDir()
	s := serve(t, prod, dir)
	_, tok := s.signUp(t, "ada@example.com")
	s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"})
	s.api(t, "GET", "/api/nyx/tenants/lab/audit", tok, nil)
	s.stop(t)
	verify := func() (string, int) { return run(t, prod, "audit", "verify", "--dir", dir, "--checkpoints", file) }
	if out, code := verify(); code != 0 || !strings.Contains(out, "entries intact") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}

	pgRehashAll(t, owner, audit.LegacySeal)
	if out, code := verify(); code == 0 || !strings.Contains(out, "unkeyed v1") {
		t.Fatalf("verify of v1 chains: exit %d\n%s", code, out)
	}
	out, code := run(t, migrate, "db", "migrate")
	if code != 0 || !strings.Contains(out, "re-sealed") {
		t.Fatalf("db migrate re-seal: exit %d\n%s", code, out)
	}
	if out, code := verify(); code != 0 || strings.Contains(out, "BROKEN") {
		t.Fatalf("verify after re-seal: exit %d\n%s", code, out)
	}

	conn, err := pgx.Connect(context.Background(), owner)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(context.Background(), `DELETE FROM audit_log`)
	conn.Close(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if out, code := verify(); code == 0 || !strings.Contains(out, "the log was wiped") {
		t.Fatalf("verify of a wiped log: exit %d\n%s", code, out)
	}
}

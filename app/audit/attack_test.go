package audit_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/store"
)

// rehash rewrites the chain from entry `from` on as an attacker with write
// access would after changing an entry: every later hash recomputed with
// seal, each pointing at the one before.
func rehash(t *testing.T, b backend, tenant string, from int64, seal func(*store.AuditEntry) string) {
	entries := chain(t, b.st, tenant)
	prev := entries[from-2].Hash
	for _, e := range entries[from-1:] {
		e.PrevHash = prev
		e.Hash = seal(&e)
		b.exec(t, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE tenant_id = ? AND seq = ?`, e.PrevHash, e.Hash, tenant, e.Seq)
		prev = e.Hash
	}
}

// TestRewriteAndRehashIsDetected is the attack of issue #12: change an
// entry, then recompute every later hash. With the unkeyed chain of
// earlier releases verify called the result intact; now the attacker has
// no master key, so neither the old code path nor a MAC under another key
// yields a chain that verifies.
func TestRewriteAndRehashIsDetected(t *testing.T) {
	attacks := map[string]func(*store.AuditEntry) string{
		"unkeyed v1 hash (the old code path)": audit.LegacySeal,
		"MAC under a wrong master key":        keysFor(t, wrongMaster).Seal,
	}
	for name, open := range backends() {
		for attack, seal := range attacks {
			t.Run(name+"/"+attack, func(t *testing.T) {
				b := open(t)
				tenant := seed(t, b.st, 10)
				victim := chain(t, b.st, tenant)[4]
				b.exec(t, `UPDATE audit_log SET action = 'member.remove', target_id = 'evidence' WHERE tenant_id = ? AND seq = 5`, tenant)
				e := victim
				e.Action, e.TargetID = "member.remove", "evidence"
				b.exec(t, `UPDATE audit_log SET hash = ? WHERE tenant_id = ? AND seq = 5`, seal(&e), tenant)
				rehash(t, b, tenant, 6, seal)
				_, err := audit.Verify(context.Background(), b.st, keysFor(t, serverMaster), tenant, nil)
				broken := wantBroken(t, err, 5, "")
				if broken.EntryID != victim.ID {
					t.Fatalf("Verify names entry id %q, want the rewritten %q", broken.EntryID, victim.ID)
				}
			})
		}
	}
}

// checkpointed seeds n entries and has a Checkpointer sign the head into a
// file, as a server does at start; it returns the tenant and the file.
func checkpointed(t *testing.T, b backend, n int) (string, string) {
	tenant := seed(t, b.st, n)
	file := filepath.Join(t.TempDir(), "checkpoints.jsonl")
	cp := audit.NewCheckpointer(audit.New(b.st, keysFor(t, serverMaster)), audit.CheckpointOptions{File: file})
	if err := cp.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	cp.Close()
	return tenant, file
}

// readChecks reads file's checkpoints, all validly signed, by tenant.
func readChecks(t *testing.T, file string) map[string][]audit.Checkpoint {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, err := audit.ReadCheckpoints(f)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]audit.Checkpoint{}
	for _, l := range lines {
		if !keysFor(t, serverMaster).Valid(l.Checkpoint) {
			t.Fatalf("line %d: the server's own checkpoint does not verify", l.Line)
		}
		out[l.Tenant] = append(out[l.Tenant], l.Checkpoint)
	}
	return out
}

// TestDeletedTailIsCaughtByCheckpoints: deleting a chain's last entries
// leaves a shorter chain whose every MAC holds; the checkpoint signed
// before the deletion says how long it was.
func TestDeletedTailIsCaughtByCheckpoints(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			tenant, file := checkpointed(t, b, 10)
			b.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq > 7`, tenant)
			keys := keysFor(t, serverMaster)
			if n, err := audit.Verify(context.Background(), b.st, keys, tenant, nil); err != nil || n != 7 {
				t.Fatalf("without checkpoints Verify = %d, %v; the MACs of a cut chain still hold", n, err)
			}
			_, err := audit.Verify(context.Background(), b.st, keys, tenant, readChecks(t, file)[tenant])
			broken := wantBroken(t, err, 8, "entries were deleted")
			if broken.Check == nil || broken.Check.Seq != 10 {
				t.Fatalf("Verify names checkpoint %+v, want the one at seq 10", broken.Check)
			}
		})
	}
}

// TestReplacedTailIsCaughtByCheckpoints: after deleting the last entries
// the attacker lets the server append again, so the chain regains its
// length with valid MACs; the MAC at the checkpoint's seq differs.
func TestReplacedTailIsCaughtByCheckpoints(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			tenant, file := checkpointed(t, b, 10)
			b.exec(t, `DELETE FROM audit_log WHERE tenant_id = ? AND seq > 7`, tenant)
			record(t, audit.New(b.st, keysFor(t, serverMaster)), tenant, 5)
			_, err := audit.Verify(context.Background(), b.st, keysFor(t, serverMaster), tenant, readChecks(t, file)[tenant])
			broken := wantBroken(t, err, 10, "differs from the head the checkpoint signed")
			if broken.Check == nil || broken.Check.Seq != 10 || broken.EntryID == "" {
				t.Fatalf("Verify = %+v, want entry 10 against checkpoint 10", broken)
			}
		})
	}
}

// TestWipedLogIsCaught: with all of a tenant's entries deleted, nothing in
// the database even names the tenant's chain; VerifyAll takes the tenant
// from the checkpoints and fails it.
func TestWipedLogIsCaught(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			tenant, file := checkpointed(t, b, 6)
			must(t, b.st.DeleteTenant(context.Background(), tenant))
			b.exec(t, `DELETE FROM audit_log WHERE tenant_id = ?`, tenant)
			results, err := audit.VerifyAll(context.Background(), b.st, keysFor(t, serverMaster), readChecks(t, file))
			must(t, err)
			if len(results) != 1 || results[0].Tenant != tenant || !results[0].Deleted {
				t.Fatalf("VerifyAll = %+v, want the wiped tenant %s", results, tenant)
			}
			wantBroken(t, results[0].Err, 1, "the log was wiped")
		})
	}
}

// TestDeletedTenantsLogIsVerified: entries outlive their tenant, and
// VerifyAll finds them in the audit table, not in the tenant registry:
// an intact log of a deleted tenant holds, and a rewritten one fails.
func TestDeletedTenantsLogIsVerified(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			ctx := context.Background()
			keys := keysFor(t, serverMaster)
			gone, kept := seed(t, b.st, 4), newTenant(t, b.st, "bravo")
			record(t, audit.New(b.st, keys), kept, 2)
			must(t, b.st.DeleteTenant(ctx, gone))
			results, err := audit.VerifyAll(ctx, b.st, keys, nil)
			must(t, err)
			byTenant := map[string]audit.TenantResult{}
			for _, r := range results {
				byTenant[r.Tenant] = r
			}
			if r := byTenant[gone]; !r.Deleted || r.Entries != 4 || r.Err != nil {
				t.Fatalf("deleted tenant's log = %+v, want 4 intact entries", r)
			}
			if r := byTenant[kept]; r.Deleted || r.Entries != 2 || r.Err != nil {
				t.Fatalf("live tenant's log = %+v", r)
			}
			b.exec(t, `UPDATE audit_log SET actor_email = 'someone@else' WHERE tenant_id = ? AND seq = 3`, gone)
			results, err = audit.VerifyAll(ctx, b.st, keys, nil)
			must(t, err)
			for _, r := range results {
				if r.Tenant == gone {
					wantBroken(t, r.Err, 3, "altered")
					return
				}
			}
			t.Fatalf("VerifyAll skipped the deleted tenant's log: %+v", results)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

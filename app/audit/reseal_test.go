package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/store"
)

// legacyChain writes n entries as the release before v2 did: unkeyed.
func legacyChain(t *testing.T, st store.Store, n int) string {
	tenant := newTenant(t, st, "acme")
	for i := 0; i < n; i++ {
		if _, err := st.AppendAudit(context.Background(), store.AuditEntry{TenantID: tenant, ActorID: "u1", Action: "member.add",
			TargetID: "u" + strings.Repeat("x", i), Details: []byte(`{"role":"member"}`)}, audit.LegacySeal); err != nil {
			t.Fatal(err)
		}
	}
	return tenant
}

// TestResealMigratesAV1Chain: a v1 chain, with entries a v2 server
// appended before the migration ran, verifies as v1, is re-sealed by the
// owner and then verifies under the master key. The runtime role cannot
// do it on PostgreSQL.
func TestResealMigratesAV1Chain(t *testing.T) {
	for name, open := range backends() {
		t.Run(name, func(t *testing.T) {
			b := open(t)
			ctx := context.Background()
			keys := keysFor(t, serverMaster)
			tenant := legacyChain(t, b.st, 6)
			record(t, audit.New(b.st, keys), tenant, 2)
			_, err := audit.Verify(ctx, b.st, keys, tenant, nil)
			wantBroken(t, err, 1, "unkeyed v1")
			if name == "postgres" {
				if _, err := audit.Reseal(ctx, b.st, keys, tenant); err == nil || errors.Is(err, audit.ErrBroken) {
					t.Fatalf("runtime role Reseal = %v, want permission denied", err)
				}
			}
			cp := audit.NewCheckpointer(audit.New(b.st, keys), audit.CheckpointOptions{})
			if got, err := cp.Pass(ctx, []string{tenant}); err != nil || len(got) != 0 {
				t.Fatalf("checkpoints of a chain awaiting re-seal = %+v, %v; want none (re-sealing changes its MACs)", got, err)
			}
			n, err := audit.Reseal(ctx, b.owner, keys, tenant)
			if err != nil || n != 8 {
				t.Fatalf("Reseal = %d, %v; want 8 entries re-sealed", n, err)
			}
			checks, err := cp.Pass(ctx, []string{tenant})
			if err != nil || len(checks) != 1 || checks[0].Seq != 8 {
				t.Fatalf("checkpoints after Reseal = %+v, %v", checks, err)
			}
			if n, err := audit.Verify(ctx, b.st, keys, tenant, checks); err != nil || n != 8 {
				t.Fatalf("after Reseal Verify = %d, %v", n, err)
			}
			if b.path != "" {
				assertAppendOnly(t, b.path)
			}
			if n, err := audit.Reseal(ctx, b.owner, keys, tenant); err != nil || n != 0 {
				t.Fatalf("second Reseal = %d, %v; want nothing to do", n, err)
			}
			record(t, audit.New(b.st, keys), tenant, 1)
			if n, err := audit.Verify(ctx, b.st, keys, tenant, nil); err != nil || n != 9 {
				t.Fatalf("append after Reseal: Verify = %d, %v", n, err)
			}
		})
	}
}

// TestResealRefusesATamperedChain: a chain that does not hold as written
// is left as it is, still failing Verify; so is one with unkeyed entries
// after keyed ones (a rewrite that downgrades to v1 to escape the key).
func TestResealRefusesATamperedChain(t *testing.T) {
	cases := []struct {
		name    string
		prepare func(t *testing.T, b backend) string
		seq     int64
		reason  string
	}{
		{"altered v1 entry", func(t *testing.T, b backend) string {
			tenant := legacyChain(t, b.st, 6)
			b.exec(t, `UPDATE audit_log SET action = 'member.remove' WHERE tenant_id = ? AND seq = 4`, tenant)
			return tenant
		}, 4, "altered"},
		{"downgraded to v1", func(t *testing.T, b backend) string {
			tenant := seed(t, b.st, 6)
			b.exec(t, `UPDATE audit_log SET action = 'member.remove' WHERE tenant_id = ? AND seq = 4`, tenant)
			rehash(t, b, tenant, 4, audit.LegacySeal)
			return tenant
		}, 4, "downgraded"},
	}
	for name, open := range backends() {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				b := open(t)
				ctx := context.Background()
				keys := keysFor(t, serverMaster)
				tenant := c.prepare(t, b)
				before := chain(t, b.st, tenant)
				_, err := audit.Reseal(ctx, b.owner, keys, tenant)
				wantBroken(t, err, c.seq, c.reason)
				after := chain(t, b.st, tenant)
				for i := range before {
					if before[i].Hash != after[i].Hash {
						t.Fatalf("a refused Reseal changed entry %d", before[i].Seq)
					}
				}
				if _, err := audit.Verify(ctx, b.st, keys, tenant, nil); !errors.Is(err, audit.ErrBroken) {
					t.Fatalf("after a refused Reseal Verify = %v, want broken", err)
				}
			})
		}
	}
}

// assertAppendOnly: after a re-seal SQLite's trigger still refuses updates.
func assertAppendOnly(t *testing.T, path string) {
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET action = 'x'`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update after re-seal: %v, want the append-only trigger", err)
	}
}

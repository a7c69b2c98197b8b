package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
)

func newAudit(cfg *config.Config, dataDir func() string, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Inspect the tamper-evident audit logs"}
	var tenantID, checkpoints string
	verify := &cobra.Command{
		Use: "verify",
		Short: "Recompute every audit chain's MACs (or --tenant's), deleted tenants' too, and hold them against --checkpoints; " +
			"exit 1 naming the first broken entry or the contradicted checkpoint",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			st, err := openStore(ctx, cfg, dataDir())
			if err != nil {
				return err
			}
			defer st.Close()
			if err := st.Check(ctx); err != nil {
				return schemaHint(err)
			}
			keys, err := loadAuditKeys(cfg, dataDir())
			if err != nil {
				return err
			}
			return verifyAudit(ctx, c.OutOrStdout(), st, keys, tenantID, checkpoints)
		},
	}
	verify.Flags().StringVar(&tenantID, "tenant", "", "verify only this tenant (id)")
	verify.Flags().StringVar(&checkpoints, "checkpoints", "", "file of signed checkpoints (NYX_AUDIT_CHECKPOINT_FILE, or a server log holding checkpoint lines)")
	cmd.AddCommand(record(verify))
	return cmd
}

// loadAuditKeys derives the audit keys from the configured master key;
// it never generates one, since a new key would verify nothing.
func loadAuditKeys(cfg *config.Config, dataDir string) (*audit.Keys, error) {
	master, err := secret.LoadMaster(secret.MasterOptions{Value: cfg.MasterKey, DataDir: dataDir})
	if err != nil {
		return nil, fmt.Errorf("audit: the chains are keyed by the master key: %w", err)
	}
	return audit.NewKeys(master.AuditKeys()), nil
}

// verifyAudit prints one line per chain and per bad checkpoint, and
// returns errReported when anything failed. With only set it verifies that
// tenant alone, deleted or not.
func verifyAudit(ctx context.Context, out io.Writer, st store.Store, keys *audit.Keys, only, file string) error {
	checks, failed, err := readCheckpointFile(out, keys, file)
	if err != nil {
		return err
	}
	var results []audit.TenantResult
	if only != "" {
		n, err := audit.Verify(ctx, st, keys, only, checks[only])
		if err != nil && !errors.Is(err, audit.ErrBroken) {
			return err
		}
		results = []audit.TenantResult{{Tenant: only, Entries: n, Checkpoints: len(checks[only]), Err: err}}
	} else if results, err = audit.VerifyAll(ctx, st, keys, checks); err != nil {
		return err
	}
	for _, r := range results {
		label := "tenant " + r.Tenant
		if r.Deleted {
			label += " (deleted)"
		}
		if r.Err != nil {
			fmt.Fprintf(out, "%s: BROKEN: %v\n", label, r.Err)
			failed = true
			continue
		}
		fmt.Fprintf(out, "%s: %d entries intact, %d checkpoints hold\n", label, r.Entries, r.Checkpoints)
	}
	if file == "" {
		fmt.Fprintln(out, "note: no --checkpoints given: MACs are verified, but deleted last entries or a wiped log cannot be detected without checkpoints")
	}
	if failed {
		return errReported
	}
	return nil
}

// readCheckpointFile returns the file's validly signed checkpoints by
// tenant; it prints each one with a bad signature and reports them.
func readCheckpointFile(out io.Writer, keys *audit.Keys, file string) (map[string][]audit.Checkpoint, bool, error) {
	checks := map[string][]audit.Checkpoint{}
	if file == "" {
		return checks, false, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, false, fmt.Errorf("audit: checkpoints: %w", err)
	}
	defer f.Close()
	lines, err := audit.ReadCheckpoints(f)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", file, err)
	}
	bad := false
	for _, l := range lines {
		if !keys.Valid(l.Checkpoint) {
			fmt.Fprintf(out, "checkpoint %s:%d (tenant %s, seq %d): BAD SIGNATURE: not signed under this master key\n", file, l.Line, l.Tenant, l.Seq)
			bad = true
			continue
		}
		checks[l.Tenant] = append(checks[l.Tenant], l.Checkpoint)
	}
	return checks, bad, nil
}

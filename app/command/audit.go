package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

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
// returns errReported when anything failed.
func verifyAudit(ctx context.Context, out io.Writer, st store.Store, keys *audit.Keys, only, file string) error {
	checks, bad, err := readCheckpointFile(out, keys, file)
	if err != nil {
		return err
	}
	live, err := st.TenantIDs(ctx)
	if err != nil {
		return err
	}
	tenants, err := auditTenants(ctx, st, live, checks, only)
	if err != nil {
		return err
	}
	failed := bad
	for _, id := range tenants {
		label := "tenant " + id
		if !slices.Contains(live, id) {
			label += " (deleted)"
		}
		n, err := audit.Verify(ctx, st, keys, id, checks[id])
		switch {
		case errors.Is(err, audit.ErrBroken):
			fmt.Fprintf(out, "%s: BROKEN: %v\n", label, err)
			failed = true
		case err != nil:
			return err
		default:
			fmt.Fprintf(out, "%s: %d entries intact, %d checkpoints hold\n", label, n, len(checks[id]))
		}
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

// auditTenants is every tenant with a chain to verify: the ids in the
// audit table itself (deleted tenants included), live tenants and
// checkpointed tenants, whose logs may be gone altogether; or only.
func auditTenants(ctx context.Context, st store.Store, live []string, checks map[string][]audit.Checkpoint, only string) ([]string, error) {
	if only != "" {
		return []string{only}, nil
	}
	ids, err := st.AuditTenantIDs(ctx)
	if err != nil {
		return nil, err
	}
	ids = append(ids, live...)
	for id := range checks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

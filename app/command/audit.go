package command

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/config"
)

func newAudit(cfg *config.Config, dataDir func() string, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Inspect the tamper-evident audit logs"}
	var tenantID string
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Recompute every tenant's audit hash chain (or --tenant's); exit 1 naming the first broken entry",
		Args:  cobra.NoArgs,
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
			tenants := []string{tenantID}
			if tenantID == "" {
				if tenants, err = st.TenantIDs(ctx); err != nil {
					return err
				}
			}
			var broken error
			for _, id := range tenants {
				n, err := audit.Verify(ctx, st, id)
				switch {
				case errors.Is(err, audit.ErrBroken):
					fmt.Fprintf(c.OutOrStdout(), "tenant %s: BROKEN: %v\n", id, err)
					broken = errors.Join(broken, err)
				case err != nil:
					return err
				default:
					fmt.Fprintf(c.OutOrStdout(), "tenant %s: %d entries intact\n", id, n)
				}
			}
			if broken != nil {
				return errReported
			}
			return nil
		},
	}
	verify.Flags().StringVar(&tenantID, "tenant", "", "verify only this tenant (id)")
	cmd.AddCommand(record(verify))
	return cmd
}

package command

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/store"
)

// newBudget lets an operator override a tenant's token budgets.
func newBudget(cfg *config.Config, dataDir func() string, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	cmd := &cobra.Command{Use: "budget", Short: "Set a tenant's LLM token budgets (overriding the server defaults)"}
	var ref string
	limits := map[string]*int64{"tenant-daily": nil, "tenant-monthly": nil, "user-daily": nil, "user-monthly": nil}
	set := &cobra.Command{
		Use:   "set",
		Short: "Override budgets of --tenant (id or slug); -1 returns a budget to the server default, 0 means unlimited",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx := c.Context()
			st, err := openStore(ctx, cfg, dataDir())
			if err != nil {
				return err
			}
			defer st.Close()
			find := store.FindTenant{Slug: ref}
			if _, err := uuid.Parse(ref); err == nil {
				find = store.FindTenant{ID: ref}
			}
			id, err := st.ResolveTenant(ctx, find)
			if err != nil {
				return fmt.Errorf("no tenant %q", ref)
			}
			b, err := st.GetBudget(ctx, id)
			if err != nil {
				b = &store.Budget{TenantID: id}
			}
			fields := map[string]**int64{"tenant-daily": &b.TenantDaily, "tenant-monthly": &b.TenantMonthly, "user-daily": &b.UserDaily, "user-monthly": &b.UserMonthly}
			for name, dst := range fields {
				if !c.Flags().Changed(name) {
					continue
				}
				v, _ := c.Flags().GetInt64(name)
				switch {
				case v == -1:
					*dst = nil
				case v < -1:
					return fmt.Errorf("--%s must be -1, 0 or a token count", name)
				default:
					*dst = &v
				}
			}
			if err := st.SetBudget(ctx, *b); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "budgets of tenant %s: %s\n", ref, describe(b))
			return nil
		},
	}
	set.Flags().StringVar(&ref, "tenant", "", "tenant id or slug (required)")
	set.MarkFlagRequired("tenant") //nolint:errcheck // the flag exists
	for name := range limits {
		set.Flags().Int64(name, 0, name+" token budget")
	}
	cmd.AddCommand(record(set))
	return cmd
}

func describe(b *store.Budget) string {
	show := func(p *int64) string {
		if p == nil {
			return "default"
		}
		if *p == 0 {
			return "unlimited"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("tenant daily %s, tenant monthly %s, user daily %s, user monthly %s",
		show(b.TenantDaily), show(b.TenantMonthly), show(b.UserDaily), show(b.UserMonthly))
}

package command

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func newDB(cfg *config.Config, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	db := &cobra.Command{Use: "db", Short: "Manage the data-plane database"}
	db.AddCommand(record(&cobra.Command{
		Use:   "migrate",
		Short: "Apply data-plane migrations (PostgreSQL: as NYX_DATABASE_MIGRATE_URL, then provision the runtime role)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			out := c.OutOrStdout()
			if cfg.Database.MigrateURL == "" {
				if cfg.Mode() == config.ModeProduction {
					return errors.New("NYX_DATABASE_MIGRATE_URL is not set: migrations run as the schema owner, not as the runtime role in NYX_DATABASE_URL")
				}
				path := filepath.Join(cfg.Dir, sqlite.FileName)
				db, err := sqlite.Open(c.Context(), path)
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "sqlite data plane %s is up to date\n", path)
				defer db.Close()
				return resealEmbedded(c.Context(), cfg, db, out)
			}
			role := postgres.AppRole{Name: cfg.Database.AppRole, Password: cfg.Database.AppPassword}
			applied, err := postgres.Migrate(c.Context(), cfg.Database.MigrateURL, role)
			for _, v := range applied {
				fmt.Fprintf(out, "applied %s\n", v)
			}
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(out, "schema is up to date")
			}
			if role.Name != "" {
				fmt.Fprintf(out, "runtime role %s: NOSUPERUSER NOBYPASSRLS, owns nothing, runtime grants only\n", role.Name)
			}
			return resealWithOwner(c.Context(), cfg, out)
		},
	}))
	return db
}

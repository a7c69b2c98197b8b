package command

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/backup"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store/postgres"
)

// newBackup adds `backup create|list|restore` and makes every PocketBase
// backup (console, cron, command) include the data plane. A serving
// process holds the data dir's serve lock, so create and restore can
// refuse to run beside it.
func newBackup(pb *pocketbase.PocketBase, cfg *config.Config, record func(*cobra.Command) *cobra.Command) *cobra.Command {
	plane := func() backup.Plane { return backupPlane(cfg, pb.DataDir()) }
	backup.Register(pb, plane)
	pb.OnServe().BindFunc(func(e *core.ServeEvent) error {
		release, err := backup.HoldServeLock(e.App.DataDir())
		if errors.Is(err, backup.ErrServing) {
			return fmt.Errorf("another nyxcore server is running on data dir %s", e.App.DataDir())
		}
		if err != nil {
			return err
		}
		pb.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
			release()
			return te.Next()
		})
		return e.Next()
	})
	cmd := &cobra.Command{Use: "backup", Short: "Back up and restore both planes (pb_data and the data plane)"}
	cmd.AddCommand(record(newBackupCreate(pb, plane)), record(newBackupList(pb)), record(newBackupRestore(pb, plane)))
	return cmd
}

func backupPlane(cfg *config.Config, dataDir string) backup.Plane {
	p := backup.Plane{Driver: backup.DriverSQLite, Version: Version, Master: func() (*secret.Master, error) {
		return secret.LoadMaster(secret.MasterOptions{Value: cfg.MasterKey, DataDir: dataDir})
	}}
	if cfg.Mode() == config.ModeProduction {
		p.Driver = backup.DriverPostgres
		p.OwnerURL = cfg.Database.MigrateURL
		p.AppRole = postgres.AppRole{Name: cfg.Database.AppRole, Password: cfg.Database.AppPassword}
	}
	return p
}

// notServing fails when a server holds the data dir.
func notServing(dataDir, instead string) (func(), error) {
	release, err := backup.HoldServeLock(dataDir)
	if errors.Is(err, backup.ErrServing) {
		return nil, fmt.Errorf("%w: %s", err, instead)
	}
	return release, err
}

func newBackupCreate(pb *pocketbase.PocketBase, plane func() backup.Plane) *cobra.Command {
	var encrypt bool
	c := &cobra.Command{
		Use:   "create [name]",
		Short: "Back up pb_data and a consistent snapshot of the data plane into the backups storage (local or S3)",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			release, err := notServing(pb.DataDir(), "create the backup from the admin console (Settings > Backups), which includes the data plane too, or stop the server")
			if err != nil {
				return err
			}
			defer release()
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			name, err = backup.Create(c.Context(), pb, plane(), name, encrypt)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "created backup %s\n", name)
			return nil
		},
	}
	c.Flags().BoolVar(&encrypt, "encrypt", false, "seal the backup with the master key (restoring it needs the same key)")
	return c
}

func newBackupList(pb *pocketbase.PocketBase) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List stored backups, newest first",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			list, err := backup.List(c.Context(), pb)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				fmt.Fprintln(c.OutOrStdout(), "no backups")
				return nil
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tSIZE\tMODIFIED")
			for _, b := range list {
				fmt.Fprintf(w, "%s\t%d\t%s\n", b.Name, b.Size, b.Modified.UTC().Format("2006-01-02 15:04:05Z"))
			}
			return w.Flush()
		},
	}
}

func newBackupRestore(pb *pocketbase.PocketBase, plane func() backup.Plane) *cobra.Command {
	return &cobra.Command{
		Use:   "restore NAME|FILE",
		Short: "Verify a backup, then replace both planes with it (stop the server first)",
		Long: "Verify a backup, then replace both planes with it. NAME is a backup in the backups storage " +
			"(see `nyxcore backup list`); FILE is the path of a backup file anywhere else, e.g. copied from " +
			"another machine, read in place. A bare name is looked up in the storage first: write ./NAME for " +
			"a file in the current directory. Stop the server first.",
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			release, err := notServing(pb.DataDir(), "stop it before restoring")
			if err != nil {
				return err
			}
			defer release()
			src, err := backup.Locate(c.Context(), pb, args[0])
			if err != nil {
				return err
			}
			res, err := backup.RestoreFrom(c.Context(), pb, plane(), src)
			if res != nil {
				printRestored(c, src, res)
			}
			return err
		},
	}
}

func printRestored(c *cobra.Command, src backup.Source, res *backup.Result) {
	m := res.Manifest
	out := c.OutOrStdout()
	fmt.Fprintf(out, "restored %s (made %s by nyxcore %s, %s schema %s)\n", src, m.CreatedAt.Format("2006-01-02 15:04:05Z"), m.Nyxcore, m.Driver, m.Schema)
	for _, v := range res.Migrated {
		fmt.Fprintf(out, "applied %s\n", v)
	}
	fmt.Fprintf(out, "the replaced data is kept in %s; remove it once the restored server works\n", res.Replaced)
}

// Package command is nyxCore's command line: serve, db migrate, doctor,
// version and PocketBase's superuser commands, on PocketBase's root command
// so the data dir and PocketBase flags behave as they do upstream.
package command

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/migrations"
)

// Version is stamped at release build time with -ldflags
// "-X github.com/nyxcore/nyxcore/app/command.Version=v1.2.3".
var Version = "dev"

// errReported marks an error the command already printed in full.
var errReported = errors.New("reported")

// Run builds the command line for cfg and runs it with os.Args; it
// returns the process exit code.
func Run(cfg *config.Config, flags *pflag.FlagSet) int {
	privateFiles() // before PocketBase creates the data dir
	pb := pocketbase.NewWithConfig(pocketbase.Config{
		DefaultDataDir:  cfg.Dir,
		DefaultDev:      false,
		HideStartBanner: false,
	})
	root := pb.RootCmd
	root.Use = "nyxcore"
	root.Short = "nyxCore: a self-hosted, multi-tenant AI workspace in one binary"
	root.Version = Version
	flags.VisitAll(func(f *pflag.Flag) {
		if root.PersistentFlags().Lookup(f.Name) == nil { // --dir is PocketBase's own
			root.PersistentFlags().AddFlag(f)
		}
	})
	migrations.RegisterControlPlane(cfg.SignupOpen())
	migrations.RegisterRateLimits()

	var failure error
	record := func(c *cobra.Command) *cobra.Command {
		run := c.RunE
		c.SilenceUsage, c.SilenceErrors = true, true
		c.RunE = func(cc *cobra.Command, args []string) error {
			if err := run(cc, args); err != nil {
				failure = err
				if !errors.Is(err, errReported) {
					fmt.Fprintln(os.Stderr, "nyxcore:", err)
				}
			}
			return nil
		}
		return c
	}
	root.AddCommand(
		record(newServe(pb, cfg)),
		newDB(cfg, record),
		record(newDoctor(pb, cfg)),
		record(newVersion()),
		record(newHealthcheck(pb, cfg)),
		newKeys(cfg, pb.DataDir, record),
		newAudit(cfg, pb.DataDir, record),
		newBudget(cfg, pb.DataDir, record),
		newBackup(pb, cfg, record),
		cmd.NewSuperuserCommand(pb),
	)
	if err := pb.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "nyxcore:", err)
		return 1
	}
	if failure != nil {
		return 1
	}
	return 0
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			fmt.Fprintf(c.OutOrStdout(), "nyxcore %s (%s, pocketbase %s)\n", Version, goVersion(), pocketbaseVersion())
			return nil
		},
	}
}

// pocketbaseVersion is the PocketBase module built in; pocketbase.Version
// is only set by PocketBase's own release builds.
func pocketbaseVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "github.com/pocketbase/pocketbase" {
				return m.Version
			}
		}
	}
	return pocketbase.Version
}

func goVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi.GoVersion
	}
	return "unknown go"
}

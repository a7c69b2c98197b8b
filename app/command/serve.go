package command

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/server"
	"github.com/nyxcore/nyxcore/hooks"
	"github.com/nyxcore/nyxcore/migrations"
)

func newServe(pb *pocketbase.PocketBase, cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Start the server (embedded mode without configuration; production with NYX_DATABASE_URL)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			deps, closeAll, err := openPlanes(c.Context(), cfg, pb.DataDir())
			if err != nil {
				return schemaHint(err)
			}
			pb.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
				closeAll()
				return e.Next()
			})
			hooks.Register(pb, deps.Store, deps.Audit)
			server.Register(pb, deps)
			pb.OnServe().BindFunc(func(se *core.ServeEvent) error {
				return startup(se, cfg, deps)
			})
			err = apis.Serve(pb, apis.ServeConfig{HttpAddr: cfg.HTTP, ShowStartBanner: true})
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		},
	}
}

// startup runs once PocketBase's migrations are applied, before the first
// request: it enforces an explicit sign-up policy and reconciles the users
// mirror, so nothing a crash skipped stays missing.
func startup(se *core.ServeEvent, cfg *config.Config, deps server.Deps) error {
	if cfg.Auth.Signup != config.SignupAuto {
		if err := migrations.ApplySignup(se.App, cfg.SignupOpen()); err != nil {
			return err
		}
	}
	if err := hooks.Reconcile(context.Background(), se.App, deps.Store); err != nil {
		return fmt.Errorf("mirror users: %w", err)
	}
	se.App.Logger().Info("nyx: ready", "mode", cfg.Mode(), "store", deps.Store.Driver(), "redis", deps.KV.Kind())
	return se.Next()
}

package command

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/certs"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/server"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/hooks"
	"github.com/nyxcore/nyxcore/migrations"
)

func newServe(pb *pocketbase.PocketBase, cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Start the server (embedded mode without configuration; production with NYX_DATABASE_URL)",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if err := privateDataDir(pb.DataDir(), slog.Default()); err != nil {
				return err
			}
			deps, closeAll, err := openPlanes(c.Context(), cfg, pb.DataDir())
			if err != nil {
				return schemaHint(err)
			}
			tlsCerts, err := openCerts(cfg, pb.DataDir(), deps.Store)
			if err != nil {
				closeAll()
				return err
			}
			if tlsCerts != nil {
				deps.LocalRoot, deps.DomainVerified = tlsCerts.RootPEM(), tlsCerts.Forget
			}
			pb.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
				if tlsCerts != nil {
					tlsCerts.Stop()
				}
				closeAll()
				return e.Next()
			})
			hooks.Register(pb, deps.Store, deps.Audit)
			hooks.RegisterRevocation(pb, deps.Revoker)
			server.Register(pb, deps)
			pb.OnServe().BindFunc(func(se *core.ServeEvent) error {
				return startup(se, cfg, deps)
			})
			sc := apis.ServeConfig{HttpAddr: cfg.HTTP, ShowStartBanner: true}
			if tlsCerts != nil {
				// PocketBase's own autocert path is bypassed: HttpAddr stays
				// empty and serveTLS runs the HTTP listener itself.
				sc = apis.ServeConfig{HttpsAddr: cfg.HTTPS, ShowStartBanner: true}
				if cfg.Domain != "" {
					sc.CertificateDomains = []string{cfg.Domain}
				}
				pb.OnServe().BindFunc(func(se *core.ServeEvent) error {
					return serveTLS(se, cfg, tlsCerts)
				})
			}
			err = apis.Serve(pb, sc)
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		},
	}
}

// startup runs once PocketBase's migrations are applied, before the first
// request: it enforces an explicit sign-up policy, applies the trusted
// proxy headers and reconciles the users mirror, so nothing a crash
// skipped stays missing.
func startup(se *core.ServeEvent, cfg *config.Config, deps server.Deps) error {
	if cfg.Auth.Signup != config.SignupAuto {
		if err := migrations.ApplySignup(se.App, cfg.SignupOpen()); err != nil {
			return err
		}
	}
	if err := applyTrustedProxy(se.App, cfg.Proxy); err != nil {
		return err
	}
	if err := hooks.Reconcile(context.Background(), se.App, deps.Store); err != nil {
		return fmt.Errorf("mirror users: %w", err)
	}
	se.App.Logger().Info("nyx: ready", "mode", cfg.Mode(), "store", deps.Store.Driver(), "redis", deps.KV.Kind(), "tls", cfg.TLS)
	return se.Next()
}

// applyTrustedProxy writes proxy.* into PocketBase's settings, which
// decide the client IP that rate limits and the audit log see. Without
// configured headers the admin console's setting stands.
func applyTrustedProxy(app core.App, p config.Proxy) error {
	headers := p.Headers()
	if len(headers) == 0 {
		return nil
	}
	s := app.Settings()
	if slices.Equal(s.TrustedProxy.Headers, headers) && s.TrustedProxy.UseLeftmostIP == p.UseLeftmostIP {
		return nil
	}
	s.TrustedProxy.Headers, s.TrustedProxy.UseLeftmostIP = headers, p.UseLeftmostIP
	if err := app.Save(s); err != nil {
		return fmt.Errorf("apply NYX_PROXY_TRUSTED_HEADERS: %w", err)
	}
	return nil
}

// openCerts builds the certificate manager for the tls mode; nil when TLS
// is off.
func openCerts(cfg *config.Config, dataDir string, st store.Store) (*certs.Manager, error) {
	if cfg.TLS != config.TLSACME && cfg.TLS != config.TLSSelfSigned {
		return nil, nil
	}
	o := certs.Options{Mode: cfg.TLS, Domain: cfg.Domain, BaseDomain: cfg.BaseDomain, DataDir: dataDir,
		Email: cfg.ACME.Email, CA: cfg.ACME.CA, HTTPAddr: cfg.HTTP, HTTPSAddr: cfg.HTTPS,
		Lookup: server.TenantLookup(st), Logger: slog.Default()}
	if cfg.ACME.CARoots != "" {
		pem, err := os.ReadFile(cfg.ACME.CARoots)
		if err != nil {
			return nil, fmt.Errorf("acme.ca_roots (NYX_ACME_CA_ROOTS): %w", err)
		}
		o.CARoots, _ = x509.SystemCertPool()
		if o.CARoots == nil {
			o.CARoots = x509.NewCertPool()
		}
		if !o.CARoots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("acme.ca_roots (NYX_ACME_CA_ROOTS): %s holds no PEM certificate", cfg.ACME.CARoots)
		}
	}
	return certs.New(o)
}

// serveTLS gives the HTTPS server its certificates and, once the router is
// built, starts the plain-HTTP listener (challenges, health, proofs,
// redirects) and the certificate manager's background work.
func serveTLS(se *core.ServeEvent, cfg *config.Config, m *certs.Manager) error {
	se.Server.TLSConfig = m.TLSConfig()
	if err := se.Next(); err != nil {
		return err
	}
	if cfg.HTTP != "" {
		l, err := net.Listen("tcp", cfg.HTTP)
		if err != nil {
			return fmt.Errorf("http (NYX_HTTP) listener: %w", err)
		}
		srv := &http.Server{Handler: m.HTTPHandler(se.Server.Handler), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: time.Minute}
		go srv.Serve(l)
		se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
			srv.Close()
			return e.Next()
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	se.App.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
		cancel()
		return e.Next()
	})
	m.Start(ctx)
	se.App.Logger().Info("nyx: TLS", "mode", cfg.TLS, "https", cfg.HTTPS, "http", cfg.HTTP, "domain", cfg.Domain)
	return nil
}

package command

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/certs"
	"github.com/nyxcore/nyxcore/app/config"
)

// healthPath is the server's own health answer; it exists only once the
// data plane is open and nyxCore's routes are bound, so a 200 there means
// more than PocketBase's /api/health would.
const healthPath = "/api/nyx/health"

// readySuffix turns healthPath into the readiness probe's path.
const readySuffix = "/ready"

// newHealthcheck asks a running server whether it is healthy and exits 0
// (healthy) or 1. It exists for container HEALTHCHECKs and probes in images
// without a shell or curl.
func newHealthcheck(pb *pocketbase.PocketBase, cfg *config.Config) *cobra.Command {
	var url string
	var timeout time.Duration
	var ready bool
	c := &cobra.Command{
		Use:   "healthcheck",
		Short: "GET " + healthPath + " (liveness) or, with --ready, " + healthPath + readySuffix + " of the running server; exit 0 when healthy/ready, 1 otherwise",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			client := http.DefaultClient
			if url == "" {
				var err error
				if url, client, err = localProbe(cfg, pb.DataDir()); err != nil {
					return fmt.Errorf("unhealthy: %w", err)
				}
				if ready {
					url += readySuffix
				}
			}
			ctx, cancel := context.WithTimeout(c.Context(), timeout)
			defer cancel()
			mode, err := probe(ctx, client, url)
			if err != nil {
				return fmt.Errorf("unhealthy: %s: %w", url, err)
			}
			fmt.Fprintf(c.OutOrStdout(), "healthy: %s (%s mode)\n", url, mode)
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", "", "health URL to GET (default: the configured HTTPS listener if any, else HTTP, on loopback)")
	c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "give up after this long")
	c.Flags().BoolVar(&ready, "ready", false, "check readiness (store, Redis, model hosts) instead of liveness, for load balancers and start-order checks")
	skipBootstrapFor(pb, c)
	return c
}

// skipBootstrapFor stops PocketBase from bootstrapping when c is the
// command being run. Bootstrapping opens the data dir's SQLite files and
// runs system migrations; a probe that runs every few seconds beside the
// live server must not do that (nor need a writable data dir). PocketBase
// warns about the skipped bootstrap through slog's default logger, which
// nothing else in this short-lived process uses, so that goes to discard.
func skipBootstrapFor(pb *pocketbase.PocketBase, c *cobra.Command) {
	pb.OnBootstrap().Bind(&hook.Handler[*core.BootstrapEvent]{
		// Before PocketBase's own handlers (its notify-dir watcher, at
		// -998, would still create a directory in the data dir).
		Priority: -1000,
		Func: func(e *core.BootstrapEvent) error {
			if found, _, err := pb.RootCmd.Find(os.Args[1:]); err == nil && found == c {
				slog.SetDefault(slog.New(slog.DiscardHandler))
				return nil
			}
			return e.Next()
		},
	})
}

// localProbe returns the health URL of this configuration's own server on
// loopback and the client to ask it with. With an HTTPS listener it asks
// that one directly: the HTTP listener then only redirects to the public
// name. It dials loopback but names the server's domain ("localhost"
// without one) for certificate selection and verification, and verifies
// the chain against what the server's certificates are issued by: the
// data dir's local CA root in self-signed mode, the system roots and
// acme.ca_roots in acme mode. A certificate the server did not get from
// those fails the probe, as it would fail the users.
func localProbe(cfg *config.Config, dataDir string) (string, *http.Client, error) {
	if cfg.HTTPS == "" {
		return "http://" + dialAddr(cfg.HTTP) + healthPath, http.DefaultClient, nil
	}
	name := cfg.Domain
	if name == "" {
		name = "localhost"
	}
	roots, err := probeRoots(cfg, dataDir)
	if err != nil {
		return "", nil, err
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{ServerName: name, RootCAs: roots, MinVersion: tls.VersionTLS12}}
	return "https://" + dialAddr(cfg.HTTPS) + healthPath, &http.Client{Transport: tr}, nil
}

// probeRoots returns the roots the local server's certificate must chain to.
func probeRoots(cfg *config.Config, dataDir string) (*x509.CertPool, error) {
	if cfg.TLS == config.TLSSelfSigned {
		// The local CA's root file, as app/certs writes it; only the
		// certificate is read, never the key.
		path := filepath.Join(dataDir, certs.LocalCADir, certs.LocalRootFile)
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read the local CA root to verify the server's certificate (is --dir the server's data dir, and has it served with tls=self-signed?): %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", path)
		}
		return roots, nil
	}
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if cfg.ACME.CARoots != "" {
		pem, err := os.ReadFile(cfg.ACME.CARoots)
		if err != nil {
			return nil, fmt.Errorf("acme.ca_roots (NYX_ACME_CA_ROOTS): %w", err)
		}
		roots.AppendCertsFromPEM(pem)
	}
	return roots, nil
}

// dialAddr turns a listen address into one a local client can dial: an
// unspecified or missing host becomes the loopback address.
func dialAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::", "[::]":
		host = "::1"
	}
	return net.JoinHostPort(host, port)
}

// probe GETs url and requires a 200 with {"ok": true}; it returns the mode
// the server reports.
func probe(ctx context.Context, client *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if err != nil {
		return "", err
	}
	var h struct {
		OK         bool   `json:"ok"`
		Ready      bool   `json:"ready"`
		Mode       string `json:"mode"`
		Components map[string]struct {
			State    string `json:"state"`
			Required bool   `json:"required"`
		} `json:"components"`
	}
	jerr := json.Unmarshal(body, &h)
	if res.StatusCode != http.StatusOK {
		var down []string
		for name, c := range h.Components {
			if c.Required && c.State != "up" {
				down = append(down, name+" "+c.State)
			}
		}
		if len(down) > 0 {
			slices.Sort(down)
			return "", fmt.Errorf("status %d, not ready: %s", res.StatusCode, strings.Join(down, ", "))
		}
		return "", fmt.Errorf("status %d", res.StatusCode)
	}
	if jerr != nil || !(h.OK || h.Ready) {
		return "", fmt.Errorf("not a healthy nyxCore answer: %.80q", body)
	}
	return h.Mode, nil
}

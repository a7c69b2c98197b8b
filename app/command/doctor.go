package command

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/spf13/cobra"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/kv"
)

// newDoctor checks what serve depends on and prints one line per part.
// Store, schema, isolation and Redis problems make it exit non-zero; an
// unreachable Ollama is a warning, since cloud providers can stand in.
func newDoctor(pb *pocketbase.PocketBase, cfg *config.Config) *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check mode, store, Redis, Ollama and row-level security; exit non-zero on a problem",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(c.Context(), 30*time.Second)
			defer cancel()
			out := c.OutOrStdout()
			ok := true
			line := func(part, status, detail string) {
				fmt.Fprintf(out, "%-8s %-5s %s\n", part, status, detail)
				if status == "FAIL" {
					ok = false
				}
			}
			line("mode", "ok", cfg.Mode()+", data dir "+pb.DataDir())
			checkStore(ctx, cfg, pb.DataDir(), line)
			checkRedis(ctx, cfg, line)
			checkOllama(ctx, cfg.Ollama.Host, line)
			if !ok {
				return errReported
			}
			return nil
		},
	}
}

func checkStore(ctx context.Context, cfg *config.Config, dataDir string, line func(part, status, detail string)) {
	st, err := openStore(ctx, cfg, dataDir)
	if err != nil {
		line("store", "FAIL", err.Error())
		return
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		line("store", "FAIL", schemaHint(err).Error())
		return
	}
	if st.Driver() == "postgres" {
		line("store", "ok", "postgres, schema current")
		line("rls", "ok", "runtime role cannot bypass row-level security; every tenant table FORCEs it; nothing visible without a tenant")
		return
	}
	line("store", "ok", "sqlite "+filepath.Join(dataDir, "nyx.db")+", schema current")
	line("rls", "ok", "sqlite has no row-level security: every tenant query filters by tenant id (embedded mode)")
}

func checkRedis(ctx context.Context, cfg *config.Config, line func(part, status, detail string)) {
	c, err := kv.Open(ctx, cfg.Redis.URL)
	if err != nil {
		line("redis", "FAIL", err.Error())
		return
	}
	defer c.Close()
	line("redis", "ok", c.Kind())
}

func checkOllama(ctx context.Context, host string, line func(part, status, detail string)) {
	base := host
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/api/version", nil)
	if err != nil {
		line("ollama", "warn", fmt.Sprintf("%s: %v", host, err))
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		line("ollama", "warn", fmt.Sprintf("%s unreachable (%v); local models are unavailable until it runs", host, err))
		return
	}
	defer resp.Body.Close()
	var v struct {
		Version string `json:"version"`
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &v) != nil || v.Version == "" {
		line("ollama", "warn", fmt.Sprintf("%s answered %s, not like Ollama", host, resp.Status))
		return
	}
	line("ollama", "ok", host+" (ollama "+v.Version+")")
}

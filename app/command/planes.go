package command

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/revocation"
	"github.com/nyxcore/nyxcore/app/server"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// openPlanes opens the data plane and the limits store for cfg. In
// production the store must pass its isolation self-check, or nothing
// starts.
func openPlanes(ctx context.Context, cfg *config.Config, dataDir string) (server.Deps, func(), error) {
	st, err := openStore(ctx, cfg, dataDir)
	if err != nil {
		return server.Deps{}, nil, err
	}
	if err := st.Check(ctx); err != nil {
		st.Close()
		return server.Deps{}, nil, err
	}
	secrets, err := openKeys(ctx, cfg, dataDir, st)
	if err != nil {
		st.Close()
		return server.Deps{}, nil, err
	}
	auditKeys := audit.NewKeys(secrets.master.AuditKeys())
	if cfg.Mode() == config.ModeEmbedded {
		if err := resealAtStart(ctx, st, auditKeys); err != nil {
			st.Close()
			return server.Deps{}, nil, err
		}
	}
	auditLog := audit.New(st, auditKeys)
	checkpoints := audit.NewCheckpointer(auditLog, audit.CheckpointOptions{Interval: cfg.Audit.CheckpointInterval,
		File: cfg.Audit.CheckpointFile, Webhook: cfg.Audit.CheckpointWebhook})
	if err := checkpoints.Start(ctx); err != nil {
		st.Close()
		return server.Deps{}, nil, err
	}
	k, err := kv.Open(ctx, cfg.Redis.URL)
	if err != nil {
		st.Close()
		return server.Deps{}, nil, err
	}
	guard, err := outbound.Parse(cfg.Outbound.Allow)
	if err != nil {
		st.Close()
		return server.Deps{}, nil, fmt.Errorf("NYX_OUTBOUND_ALLOW: %w", err)
	}
	reg := registry.New(registry.ConfigOptions(cfg, secrets.ring, guard))
	hub := realtime.New(realtime.Options{})
	revoker, closeRevoker, err := openRevoker(ctx, hub, k)
	if err != nil {
		k.Close()
		st.Close()
		return server.Deps{}, nil, err
	}
	budgets := budget.New(st, budget.Limits{TenantDaily: cfg.Budget.TenantDailyTokens, TenantMonthly: cfg.Budget.TenantMonthlyTokens,
		UserDaily: cfg.Budget.UserDailyTokens, UserMonthly: cfg.Budget.UserMonthlyTokens})
	engine := discuss.New(st, registry.Personas{Registry: reg, Providers: st}, hub, discuss.Options{Budget: budgets})
	if n, err := engine.Recover(ctx); err != nil {
		st.Close()
		return server.Deps{}, nil, err
	} else if n > 0 {
		slog.Warn("nyx: replies cut off by the last stop are kept and marked interrupted", "messages", n)
	}
	bg, stop := context.WithCancel(context.Background())
	go reg.Run(bg, 15*time.Second)
	go secrets.reloadEvery(bg, time.Minute, func(msg string, args ...any) { slog.Warn(msg, args...) })
	closeAll := func() {
		engine.Shutdown(3 * time.Second) // running turns get a short grace, then end "interrupted"
		closeRevoker()
		hub.Close()
		checkpoints.Close() // signs what moved since the last pass, before the store closes
		stop()
		k.Close()
		st.Close()
	}
	policy, _ := ratelimit.ParsePolicy(cfg.RateLimit.Policy) // validated with the config
	var limiter *ratelimit.Limiter                           // nil: limits off
	if cfg.RateLimit.Enabled {
		// k itself, not k.Client: New keeps the embedded mode's buckets in process.
		limiter = ratelimit.New(k, policy, func(msg string, args ...any) { slog.Error(msg, args...) })
	}
	return server.Deps{Config: cfg, Store: st, KV: k, Registry: reg, Engine: engine, Hub: hub, Revoker: revoker, Audit: auditLog,
		Limiter: limiter, Limits: limitsOf(cfg.RateLimit), Budgets: budgets,
		Ownership: ownership.New(secrets.master, guard, cfg.DNS.Resolver)}, closeAll, nil
}

// openRevoker shares revocations through an external Redis, which several
// processes may share; with the in-process Redis there is one process, and
// its hub revokes alone.
func openRevoker(ctx context.Context, hub *realtime.Hub, k *kv.Client) (realtime.Revoker, func(), error) {
	if k.Kind() != kv.KindExternal {
		return hub, func() {}, nil
	}
	bus, err := revocation.Start(ctx, hub, k.Client, func(msg string, args ...any) { slog.Error(msg, args...) })
	if err != nil {
		return nil, nil, err
	}
	return bus, bus.Close, nil
}

func openStore(ctx context.Context, cfg *config.Config, dataDir string) (store.Store, error) {
	if cfg.Mode() == config.ModeEmbedded {
		return sqlite.Open(ctx, filepath.Join(dataDir, sqlite.FileName))
	}
	db, err := postgres.Open(ctx, cfg.Database.URL, cfg.Database.MaxConns)
	if err != nil {
		return nil, fmt.Errorf("%w\ncheck NYX_DATABASE_URL; on a new database run `nyxcore db migrate` with NYX_DATABASE_MIGRATE_URL first: it creates the runtime role", err)
	}
	return db, nil
}

// schemaHint adds what to do when the schema is missing.
func schemaHint(err error) error {
	if errors.Is(err, store.ErrSchema) {
		return fmt.Errorf("%w\nrun `nyxcore db migrate` with NYX_DATABASE_MIGRATE_URL (an owner connection) first", err)
	}
	return err
}

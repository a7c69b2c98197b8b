package command

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/meter"
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
// starts. The whole configuration is checked before anything opens; on an
// error everything opened so far is closed again, newest first. The
// returned func closes everything; calling it more than once is harmless.
func openPlanes(ctx context.Context, cfg *config.Config, dataDir string) (server.Deps, func(), error) {
	return openPlanesWith(ctx, cfg, dataDir, nil)
}

// openPlanesWith is openPlanes with a fault hook for tests: called after
// each step with its name, an error from it fails the start there, as if
// the next step had failed.
func openPlanesWith(ctx context.Context, cfg *config.Config, dataDir string, fault func(step string) error) (server.Deps, func(), error) {
	p, err := preparePlanes(cfg, dataDir)
	if err != nil {
		return server.Deps{}, nil, err
	}
	for _, s := range planeSteps {
		err := s.open(p, ctx)
		if err == nil && fault != nil {
			err = fault(s.name)
		}
		if err != nil {
			p.closers.closeAll()
			return server.Deps{}, nil, err
		}
	}
	return p.deps, sync.OnceFunc(p.closers.closeAll), nil
}

// closers is a stack of cleanups pushed as things open: closing runs them
// newest first, so nothing is closed while something opened after it may
// still use it.
type closers []func()

func (c *closers) push(f func()) { *c = append(*c, f) }

func (c *closers) closeAll() {
	for i := len(*c) - 1; i >= 0; i-- {
		(*c)[i]()
	}
	*c = nil
}

// planes is the state of one start: the parsed configuration, what has
// opened so far and how to close it.
type planes struct {
	cfg     *config.Config
	dataDir string
	guard   *outbound.Policy
	policy  ratelimit.Policy
	secrets *keys
	deps    server.Deps
	closers closers
}

// preparePlanes checks every setting the planes parse themselves, before
// anything opens: a bad value must not leave a new database behind.
func preparePlanes(cfg *config.Config, dataDir string) (*planes, error) {
	guard, err := outbound.Parse(cfg.Outbound.Allow)
	if err != nil {
		return nil, fmt.Errorf("outbound.allow (NYX_OUTBOUND_ALLOW): %w", err)
	}
	policy, err := ratelimit.ParsePolicy(cfg.RateLimit.Policy)
	if err != nil {
		return nil, fmt.Errorf("ratelimit.policy (NYX_RATELIMIT_POLICY): %w", err)
	}
	if cfg.Redis.URL != "" {
		if _, err := redis.ParseURL(cfg.Redis.URL); err != nil {
			return nil, fmt.Errorf("redis.url (NYX_REDIS_URL): %w", err)
		}
	}
	return &planes{cfg: cfg, dataDir: dataDir, guard: guard, policy: policy}, nil
}

// planeStep opens one part of the planes and pushes what closes it.
type planeStep struct {
	name string
	open func(*planes, context.Context) error
}

// planeSteps is the start order. Each step only uses what earlier ones
// opened.
var planeSteps = []planeStep{
	{"store", (*planes).openStore},
	{"keys", (*planes).openKeys},
	{"kv", (*planes).openKV},
	{"hub", (*planes).openHub},
	{"revoker", (*planes).openRevoker},
	{"checkpoints", (*planes).openCheckpoints},
	{"engine", (*planes).openEngine},
	{"background", (*planes).startBackground},
}

func (p *planes) openStore(ctx context.Context) error {
	st, err := openStore(ctx, p.cfg, p.dataDir)
	if err != nil {
		return err
	}
	p.closers.push(func() { st.Close() })
	p.deps.Store = st
	return st.Check(ctx)
}

// openKeys loads the data keys and, in embedded mode, reseals the audit
// chains under the current audit key.
func (p *planes) openKeys(ctx context.Context) error {
	secrets, err := openKeys(ctx, p.cfg, p.dataDir, p.deps.Store)
	if err != nil {
		return err
	}
	p.secrets = secrets
	auditKeys := audit.NewKeys(secrets.master.AuditKeys())
	if p.cfg.Mode() == config.ModeEmbedded {
		if err := resealAtStart(ctx, p.deps.Store, auditKeys); err != nil {
			return err
		}
	}
	p.deps.Audit = audit.New(p.deps.Store, auditKeys)
	return nil
}

func (p *planes) openKV(ctx context.Context) error {
	k, err := kv.Open(ctx, p.cfg.Redis.URL)
	if err != nil {
		return err
	}
	p.closers.push(func() { k.Close() })
	p.deps.KV = k
	if p.cfg.RateLimit.Enabled {
		// k itself, not k.Client: New keeps the embedded mode's buckets in process.
		p.deps.Limiter = ratelimit.New(k, p.policy, func(msg string, args ...any) { slog.Error(msg, args...) })
		p.deps.Limiter.SetTimeout(p.cfg.RateLimit.Timeout)
	}
	p.deps.Limits = limitsOf(p.cfg.RateLimit)
	return nil
}

func (p *planes) openHub(context.Context) error {
	hub := realtime.New(realtime.Options{WriteTimeout: p.cfg.Realtime.WriteTimeout, Heartbeat: p.cfg.Realtime.Heartbeat})
	p.closers.push(hub.Close)
	p.deps.Hub = hub
	return nil
}

// openRevoker shares revocations through an external Redis, which several
// processes may share; with the in-process Redis there is one process, and
// its hub revokes alone.
func (p *planes) openRevoker(ctx context.Context) error {
	if p.deps.KV.Kind() != kv.KindExternal {
		p.deps.Revoker = p.deps.Hub
		return nil
	}
	bus, err := revocation.Start(ctx, p.deps.Hub, p.deps.KV.Client, func(msg string, args ...any) { slog.Error(msg, args...) })
	if err != nil {
		return err
	}
	p.closers.push(bus.Close)
	p.deps.Revoker = bus
	return nil
}

// openEngine builds the registry, budgets and discussion engine, and marks
// replies the last stop cut off.
func (p *planes) openEngine(ctx context.Context) error {
	cfg, st := p.cfg, p.deps.Store
	p.deps.Registry = registry.New(registry.ConfigOptions(cfg, p.secrets.ring, p.guard))
	p.deps.Budgets = budget.New(st, budget.Limits{TenantDaily: cfg.Budget.TenantDailyTokens, TenantMonthly: cfg.Budget.TenantMonthlyTokens,
		UserDaily: cfg.Budget.UserDailyTokens, UserMonthly: cfg.Budget.UserMonthlyTokens})
	m := meter.New(registry.Personas{Registry: p.deps.Registry, Providers: st}, p.deps.Budgets)
	m.Stall = meter.Stall{FirstToken: p.cfg.LLM.FirstTokenTimeout, Idle: p.cfg.LLM.IdleTimeout}
	engine := discuss.New(st, m, p.deps.Hub, discuss.Options{RequestTimeout: p.cfg.API.StoreTimeout})
	// Running turns get a short grace at shutdown, then end "interrupted".
	p.closers.push(func() { engine.Shutdown(3 * time.Second) })
	p.deps.Engine = engine
	n, err := engine.Recover(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		slog.Warn("nyx: replies cut off by the last stop are kept and marked interrupted", "messages", n)
	}
	return nil
}

// openCheckpoints starts the signed audit checkpoints. Its Close signs what
// moved since the last pass; opened before the engine, it closes after the
// engine's shutdown (the last turns' entries) and before the store.
func (p *planes) openCheckpoints(ctx context.Context) error {
	a := p.cfg.Audit
	checkpoints := audit.NewCheckpointer(p.deps.Audit, audit.CheckpointOptions{Interval: a.CheckpointInterval,
		File: a.CheckpointFile, Webhook: a.CheckpointWebhook})
	if err := checkpoints.Start(ctx); err != nil {
		return err
	}
	p.closers.push(checkpoints.Close)
	return nil
}

// startBackground starts the registry's health checks and the data keys'
// reload, and fills in the rest of the dependencies.
func (p *planes) startBackground(context.Context) error {
	bg, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { p.deps.Registry.Run(bg, 15*time.Second) })
	wg.Go(func() {
		p.secrets.reloadEvery(bg, time.Minute, func(msg string, args ...any) { slog.Warn(msg, args...) })
	})
	p.closers.push(func() { stop(); wg.Wait() })
	p.deps.Config = p.cfg
	p.deps.Ownership = ownership.New(p.secrets.master, p.guard, p.cfg.DNS.Resolver)
	return nil
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

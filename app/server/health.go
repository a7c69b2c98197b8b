package server

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/kv"
)

// Component states in a readiness answer.
const (
	stateUp       = "up"
	stateDown     = "down"
	stateStarting = "starting" // not checked yet (model hosts just after start)
	stateNone     = "none"     // not configured
)

// readyFor is how long one readiness answer is reused: probes from many
// load balancers cost one round of checks a second, and the unauthenticated
// endpoint cannot be used to hammer the store or Redis.
const readyFor = time.Second

// readyTimeout bounds each component check.
const readyTimeout = time.Second

// health answers GET /api/nyx/health and /api/nyx/health/live: liveness.
// The process is up and serving; nothing behind it is asked, so a slow
// database never makes an orchestrator restart a healthy process.
func (a *api) health(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, map[string]any{
		"ok":     true,
		"status": stateUp,
		"mode":   a.Config.Mode(),
		"store":  a.Store.Driver(),
		"redis":  a.KV.Kind(),
	})
}

// component is one dependency's state in a readiness answer. It names
// states and counts only: no addresses, no error texts (the endpoint is
// public); the server log has the details.
type component struct {
	State     string `json:"state"`
	Required  bool   `json:"required"`
	LatencyMs *int64 `json:"latency_ms,omitempty"`
	Failures  uint64 `json:"failures,omitempty"` // limiter decisions the store failed since start
	Hosts     *int   `json:"hosts,omitempty"`
	HostsUp   *int   `json:"hosts_up,omitempty"`
	Backend   string `json:"backend,omitempty"`
}

type readiness struct {
	Ready      bool                 `json:"ready"`
	Mode       string               `json:"mode"`
	Components map[string]component `json:"components"`
	CheckedAt  time.Time            `json:"checked_at"`
}

// readyCache holds the last readiness answer for readyFor.
type readyCache struct {
	mu   sync.Mutex
	at   time.Time
	last readiness
}

// ready answers GET /api/nyx/health/ready: 200 when every required
// component is up, else 503, with each component's state either way.
// Required: the data-plane store, Redis (the limiter's store, when it is
// an external server), and — with health.require_models, the default —
// at least one of the operator's Ollama servers.
func (a *api) ready(e *core.RequestEvent) error {
	r := a.readiness(e.Request.Context())
	code := http.StatusOK
	if !r.Ready {
		code = http.StatusServiceUnavailable
		e.Response.Header().Set("Retry-After", "1")
	}
	return e.JSON(code, r)
}

func (a *api) readiness(ctx context.Context) readiness {
	c := &a.readyCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) < readyFor {
		return c.last
	}
	r := readiness{Ready: true, Mode: a.Config.Mode(), Components: map[string]component{}, CheckedAt: time.Now().UTC()}
	add := func(name string, comp component) {
		r.Components[name] = comp
		if comp.Required && comp.State != stateUp {
			r.Ready = false
		}
	}
	add("store", timed(ctx, a.Store.Driver(), func(ctx context.Context) error { return a.Store.Ping(ctx) }))
	redis := component{State: stateUp, Required: true, Backend: a.KV.Kind()}
	if a.KV.Kind() == kv.KindExternal {
		redis = timed(ctx, kv.KindExternal, func(ctx context.Context) error { return a.KV.Ping(ctx).Err() })
	}
	if a.Limiter != nil {
		redis.Failures = a.Limiter.Failures()
	}
	add("redis", redis)
	models := component{Required: a.Config.Health.RequireModels}
	if a.Registry != nil {
		total, up, unchecked := a.Registry.OperatorHostStates()
		models.Hosts, models.HostsUp = &total, &up
		switch {
		case total == 0:
			models.State, models.Required = stateNone, false
		case up > 0:
			models.State = stateUp
		case unchecked > 0:
			models.State = stateStarting
		default:
			models.State = stateDown
		}
	}
	add("models", models)
	c.at, c.last = time.Now(), r
	return r
}

// timed runs check under readyTimeout and reports its state and latency.
func timed(ctx context.Context, backend string, check func(context.Context) error) component {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	defer cancel()
	start := time.Now()
	err := check(ctx)
	ms := time.Since(start).Milliseconds()
	comp := component{State: stateUp, Required: true, LatencyMs: &ms, Backend: backend}
	if err != nil {
		comp.State = stateDown
	}
	return comp
}

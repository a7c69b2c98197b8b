package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

// envLimiterPolicy is the policy of the envs' limiters: open, as served
// by default; TestOutagesAreVisible makes it closed for its own env.
var envLimiterPolicy = ratelimit.FailOpen

// component reads one component of a readiness answer.
func component(r response, name string) map[string]any {
	comps, _ := r.json["components"].(map[string]any)
	c, _ := comps[name].(map[string]any)
	return c
}

// waitFor polls f every 100ms until it holds or 10s pass.
func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("10s and still not: %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// An operator (and a load balancer) must tell an outage from a limit and
// a dead process from a degraded one: with Redis stopped under the closed
// policy the API answers 503 limiter_unavailable with Retry-After (it
// answered 429 rate_limited, the same as a real limit), liveness stays
// 200 while readiness is 503 naming Redis, and both recover by themselves
// once Redis is back; a model host down fails readiness unless the
// operator said models are not required; a store down fails it too.
func TestOutagesAreVisible(t *testing.T) {
	envLimiterPolicy = ratelimit.FailClosed
	t.Cleanup(func() { envLimiterPolicy = ratelimit.FailOpen })
	redisSrv := kvtest.Start(t)
	ollama := ollamatest.Start(t)
	var reg *registry.Registry
	e := newEnvKV(t, backends[0].open, func(*config.Config) *registry.Registry {
		reg = newRegistry(t, ollama.URL())
		return reg
	}, nil, redisSrv.URL())
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go reg.Run(ctx, 200*time.Millisecond)

	ready := func() response { return e.call("", http.MethodGet, "/api/nyx/health/ready", nil) }
	waitFor(t, "ready at start", func() bool { return ready().status == http.StatusOK })
	r := ready()
	for _, name := range []string{"store", "redis", "models"} {
		if c := component(r, name); c["state"] != "up" || c["required"] != true {
			t.Errorf("at start: %s = %v, want up and required", name, c)
		}
	}
	if c := component(r, "models"); c["hosts"] != float64(1) || c["hosts_up"] != float64(1) {
		t.Errorf("at start: models = %v, want 1 host, 1 up", c)
	}
	e.must(e.call("alice", http.MethodGet, "/api/nyx/tenants", nil), http.StatusOK)

	redisSrv.Stop()
	api := e.call("alice", http.MethodGet, "/api/nyx/tenants", nil)
	if api.status != http.StatusServiceUnavailable || api.json["code"] != "limiter_unavailable" || api.header.Get("Retry-After") == "" {
		t.Errorf("Redis down, closed policy: %d %v (Retry-After %q); want 503 limiter_unavailable with Retry-After",
			api.status, api.json, api.header.Get("Retry-After"))
	}
	e.must(e.call("", http.MethodGet, "/api/nyx/health", nil), http.StatusOK)
	e.must(e.call("", http.MethodGet, "/api/nyx/health/live", nil), http.StatusOK)
	waitFor(t, "not ready while Redis is down", func() bool { return ready().status == http.StatusServiceUnavailable })
	if r := ready(); component(r, "redis")["state"] != "down" || component(r, "store")["state"] != "up" || r.header.Get("Retry-After") == "" {
		t.Errorf("Redis down: readiness %v, want redis down, store up, Retry-After", r.json)
	}

	redisSrv.Restart(t)
	back := time.Now()
	waitFor(t, "the API answering again after Redis returned", func() bool {
		return e.call("alice", http.MethodGet, "/api/nyx/tenants", nil).status == http.StatusOK
	})
	waitFor(t, "ready after Redis returned", func() bool { return ready().status == http.StatusOK })
	if d := time.Since(back); d > 5*time.Second {
		t.Errorf("recovery took %v after Redis returned, want ≤ 5s", d)
	}

	ollama.Stop()
	waitFor(t, "not ready while the only model host is down", func() bool { return ready().status == http.StatusServiceUnavailable })
	if c := component(ready(), "models"); c["state"] != "down" || c["hosts_up"] != float64(0) {
		t.Errorf("Ollama down: models = %v, want down with 0 up", c)
	}
	e.cfg.Health.RequireModels = false
	waitFor(t, "ready with models not required", func() bool { return ready().status == http.StatusOK })
	if c := component(ready(), "models"); c["state"] != "down" || c["required"] != false {
		t.Errorf("models not required: %v, want down and not required", c)
	}

	e.store.Close()
	waitFor(t, "not ready with the store closed", func() bool { return ready().status == http.StatusServiceUnavailable })
	if c := component(ready(), "store"); c["state"] != "down" {
		t.Errorf("store closed: %v, want down", c)
	}
	if r := ready(); r.raw == "" || len(r.raw) > 2000 {
		t.Errorf("readiness body %q", r.raw)
	}
}

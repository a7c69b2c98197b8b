package server

import (
	"net/http"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/ratelimit"
)

var errRateLimited = newError(http.StatusTooManyRequests, "rate_limited", "Too many requests: slow down and try again shortly.")

// errAPILimiterUnavailable is the API's answer while the limiter's store
// is unreachable under ratelimit.policy=closed (sign-in has its own text).
var errAPILimiterUnavailable = newError(http.StatusServiceUnavailable, "limiter_unavailable",
	"The server cannot check its request limits right now (its Redis is unreachable). Try again shortly.")

// classOf sorts a request into a limit class: model calls are "llm",
// other writes "write", everything else "read".
func classOf(r *http.Request) ratelimit.Class {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && (strings.HasSuffix(p, "/messages") || strings.HasSuffix(p, "/try") || strings.HasSuffix(p, "/models/pull")):
		return ratelimit.ClassLLM
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		return ratelimit.ClassRead
	}
	return ratelimit.ClassWrite
}

// rateLimit checks the request against the buckets of its IP, its user
// and (once resolved) its tenant, and answers 429 with Retry-After and
// RateLimit-* headers when any of them is empty.
func (a *api) rateLimit(e *core.RequestEvent) error {
	if a.Limiter == nil {
		return e.Next()
	}
	ids := map[string]string{ratelimit.ScopeIP: e.RealIP()}
	if e.Auth != nil {
		ids[ratelimit.ScopeUser] = e.Auth.Id
	}
	if t := tenantID(e); t != "" {
		ids[ratelimit.ScopeTenant] = t
	}
	d, err := a.Limiter.Check(e.Request.Context(), classOf(e.Request), ids, a.Limits)
	if err != nil {
		return a.fail(e, err)
	}
	if d.Unavailable && !d.Allowed {
		// Redis cannot decide and ratelimit.policy is closed: an outage,
		// not a limit, so clients and load balancers can tell the two apart.
		e.Response.Header().Set("Retry-After", "1")
		return a.fail(e, errAPILimiterUnavailable)
	}
	ratelimit.WriteHeaders(e.Response.Header(), d)
	if !d.Allowed {
		return a.fail(e, errRateLimited)
	}
	return e.Next()
}

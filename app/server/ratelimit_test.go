package server_test

import (
	"testing"

	"github.com/nyxcore/nyxcore/app/ratelimit"
)

// TestRateLimits: a user who exhausts a bucket gets 429 with Retry-After
// and RateLimit headers, and another user is unaffected.
func TestRateLimits(t *testing.T) {
	tight := ratelimit.Limits{
		ratelimit.ClassRead:  {ratelimit.ScopeUser: {Rate: 0.01, Burst: 3}},
		ratelimit.ClassWrite: {ratelimit.ScopeUser: {Rate: 100, Burst: 100}},
	}
	e := newEnvLimited(t, backends[0].open, "http://127.0.0.1:1", tight)
	for i := 0; i < 3; i++ {
		r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme", nil), 200)
		if r.header.Get("RateLimit-Limit") != "3" {
			t.Fatalf("RateLimit-Limit = %q", r.header.Get("RateLimit-Limit"))
		}
	}
	r := e.call("dan", "GET", "/api/nyx/tenants/acme", nil)
	if r.status != 429 || r.json["code"] != "rate_limited" || r.header.Get("Retry-After") == "" || r.header.Get("RateLimit-Remaining") != "0" {
		t.Fatalf("fourth read: %d %v %s", r.status, r.header, r.raw)
	}
	e.must(e.call("carol", "GET", "/api/nyx/tenants/acme", nil), 200)
}

package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

func TestCheckAllScopesMustAllow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, c *kv.Client) {
		l := ratelimit.New(c, ratelimit.FailClosed, nil)
		ctx := context.Background()
		limits := ratelimit.Limits{ratelimit.ClassWrite: {
			ratelimit.ScopeUser:   {Rate: 0.001, Burst: 5},
			ratelimit.ScopeTenant: {Rate: 0.001, Burst: 2},
		}}
		tenant := "t/" + t.Name() + run
		check := func(user string) ratelimit.Decision {
			t.Helper()
			ids := map[string]string{ratelimit.ScopeUser: user, ratelimit.ScopeTenant: tenant, ratelimit.ScopeIP: "198.51.100.7"}
			d, err := l.Check(ctx, ratelimit.ClassWrite, ids, limits)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		if d := check("alice" + run); !d.Allowed || d.Remaining != 1 || d.Limit != 2 {
			t.Fatalf("first write: %+v, want allowed and described by the tenant bucket (1 of 2 left)", d)
		}
		if d := check("bob" + run); !d.Allowed || d.Remaining != 0 {
			t.Fatalf("second write: %+v, want allowed with the tenant bucket empty", d)
		}
		d := check("alice" + run)
		if d.Allowed || d.Limit != 2 || d.RetryAfter < 10*time.Minute {
			t.Fatalf("third write: %+v, want refused by the tenant bucket with its long wait", d)
		}
		userOnly := ratelimit.Limits{ratelimit.ClassWrite: {ratelimit.ScopeUser: limits[ratelimit.ClassWrite][ratelimit.ScopeUser]}}
		d, err := l.Check(ctx, ratelimit.ClassWrite, map[string]string{ratelimit.ScopeUser: "alice" + run}, userOnly)
		if err != nil || !d.Allowed || d.Remaining != 3 {
			t.Fatalf("alice's own bucket: %+v, %v; want 3 of 5 left: charged once, not for the refusal", d, err)
		}
	})
}

func TestCheckWithoutRulesAllows(t *testing.T) {
	l := ratelimit.New(nil, ratelimit.FailClosed, nil) // must not reach the store
	cases := []struct {
		name string
		ids  map[string]string
	}{
		{"no ids", nil},
		{"empty ids", map[string]string{ratelimit.ScopeUser: "", ratelimit.ScopeTenant: ""}},
		{"scope without a rule", map[string]string{"session": "s1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := l.Check(context.Background(), ratelimit.ClassLLM, tc.ids, ratelimit.DefaultLimits())
			if err != nil || !d.Allowed || d.Limit != 0 {
				t.Fatalf("Check = %+v, %v; want allowed with no bucket", d, err)
			}
		})
	}
}

func TestDefaultLimitsAreValid(t *testing.T) {
	for class, scopes := range ratelimit.DefaultLimits() {
		for scope, r := range scopes {
			if r.Rate <= 0 || r.Burst < 1 {
				t.Errorf("%s/%s: %+v", class, scope, r)
			}
		}
	}
	auth := ratelimit.DefaultLimits()[ratelimit.ClassAuth][ratelimit.ScopeIP]
	if auth.Burst != 10 || !near(time.Duration(float64(time.Second)/auth.Rate), 6*time.Second, time.Millisecond) {
		t.Fatalf("auth per IP = %+v, want 10 a minute, burst 10", auth)
	}
}

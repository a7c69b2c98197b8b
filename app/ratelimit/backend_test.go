package ratelimit_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

func TestMain(m *testing.M) { os.Exit(kvtest.Run(m)) }

// run is a fresh suffix per process, so reruns against a long-lived
// NYX_TEST_REDIS_URL server never meet old buckets.
var run = fmt.Sprint(time.Now().UnixNano())

// forEachBackend runs fn against a real redis-server and against the
// embedded miniredis, each through kv.Open as nyxCore itself connects.
func forEachBackend(t *testing.T, fn func(t *testing.T, c *kv.Client)) {
	t.Helper()
	backends := []struct{ name, url string }{
		{"redis", kvtest.URL(t)},
		{"embedded", ""},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c, err := kv.Open(context.Background(), b.url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			fn(t, c)
		})
	}
}

// key is a bucket key unique to the test and the run.
func key(t *testing.T, id string) string {
	return ratelimit.Key(ratelimit.ClassRead, ratelimit.ScopeUser, t.Name()+"/"+run+"/"+id)
}

func allow(t *testing.T, l *ratelimit.Limiter, key string, r ratelimit.Rule, cost int) ratelimit.Decision {
	t.Helper()
	d, err := l.Allow(context.Background(), key, r, cost)
	if err != nil {
		t.Fatalf("Allow(%s): %v", key, err)
	}
	return d
}

// near reports whether got is within tol of want.
func near(got, want, tol time.Duration) bool { return got >= want-tol && got <= want+tol }

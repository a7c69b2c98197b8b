package command

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/revocation"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

func TestMain(m *testing.M) { os.Exit(kvtest.Run(m)) }

// planesConfig loads a configuration as the command line would, with an
// Ollama address nothing answers (health checks must not find a server).
func planesConfig(t *testing.T, args ...string) *config.Config {
	t.Helper()
	args = append([]string{"--dir", t.TempDir(), "--ollama-host", "http://127.0.0.1:1"}, args...)
	cfg, _, err := config.Load(args)
	if err != nil {
		t.Fatalf("config.Load: %v", err)
	}
	return cfg
}

// watch records what a start may leave behind: goroutines of this process
// and connections to the test Redis server.
type watch struct {
	t          *testing.T
	rdb        *redis.Client
	goroutines int
	clients    int
}

func newWatch(t *testing.T, redisURL string) *watch {
	t.Helper()
	opts, err := redis.ParseURL(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	w := &watch{t: t, rdb: redis.NewClient(opts)}
	t.Cleanup(func() { w.rdb.Close() })
	w.clients = w.redisClients()
	w.goroutines = runtime.NumGoroutine()
	return w
}

// redisClients is the server's count of connected clients (this watch's own
// connection included).
func (w *watch) redisClients() int {
	w.t.Helper()
	info, err := w.rdb.Info(context.Background(), "clients").Result()
	if err != nil {
		w.t.Fatalf("redis INFO: %v", err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "connected_clients:"); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	w.t.Fatalf("redis INFO clients has no connected_clients: %q", info)
	return 0
}

// settled waits until the goroutines and Redis connections are back to
// where they were, and fails naming what stayed behind.
func (w *watch) settled() {
	w.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g, c := runtime.NumGoroutine(), w.redisClients()
		if g <= w.goroutines && c <= w.clients {
			return
		}
		if time.Now().After(deadline) {
			var stacks bytes.Buffer
			pprof.Lookup("goroutine").WriteTo(&stacks, 1)
			w.t.Fatalf("left behind: %d goroutines (was %d), %d Redis clients (was %d)\n%s", g, w.goroutines, c, w.clients, stacks.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPlanesInvalidConfigOpensNothing: a setting the planes parse
// themselves is refused before the data plane is touched, so a typo leaves
// no new database behind.
func TestPlanesInvalidConfigOpensNothing(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"outbound allow list", []string{"--outbound-allow", "not a host or prefix"}, "NYX_OUTBOUND_ALLOW"},
		{"redis url", []string{"--redis-url", "tcp://nowhere"}, "NYX_REDIS_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := planesConfig(t, tc.args...)
			dir := t.TempDir()
			g := runtime.NumGoroutine()
			_, closeAll, err := openPlanes(context.Background(), cfg, dir)
			if err == nil {
				closeAll()
				t.Fatal("openPlanes accepted an invalid setting")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after a refused start (stat: %v)", sqlite.FileName, err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("the data dir is not empty after a refused start: %v", entries)
			}
			if n := runtime.NumGoroutine(); n > g {
				t.Errorf("%d goroutines after a refused start, %d before", n, g)
			}
		})
	}
}

// TestPlanesFailedStartLeavesNothing makes real parts of the start fail
// (Redis unreachable, the revocation stream unreadable) and checks that
// what had opened is closed again: no goroutine and no Redis connection
// outlives the error.
func TestPlanesFailedStartLeavesNothing(t *testing.T) {
	url := kvtest.URL(t)
	cases := []struct {
		name  string
		redis string
		setup func(t *testing.T, rdb *redis.Client)
	}{
		{name: "redis unreachable", redis: "redis://127.0.0.1:1/0"},
		{name: "revocation stream unreadable", redis: url, setup: func(t *testing.T, rdb *redis.Client) {
			// A string where the stream belongs: XREVRANGE answers WRONGTYPE.
			if err := rdb.Set(context.Background(), revocation.StreamKey, "not a stream", 0).Err(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { rdb.Del(context.Background(), revocation.StreamKey) })
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := planesConfig(t, "--redis-url", tc.redis)
			w := newWatch(t, url)
			if tc.setup != nil {
				tc.setup(t, w.rdb)
			}
			_, closeAll, err := openPlanes(context.Background(), cfg, t.TempDir())
			if err == nil {
				closeAll()
				t.Fatal("openPlanes succeeded; the case must make it fail")
			}
			w.settled()
		})
	}
}

// TestPlanesEveryStepCleansUp fails the start after each step in turn: each
// time the error comes back and everything opened so far is closed.
func TestPlanesEveryStepCleansUp(t *testing.T) {
	url := kvtest.URL(t)
	errFault := errors.New("injected fault")
	for _, s := range planeSteps {
		t.Run(s.name, func(t *testing.T) {
			cfg := planesConfig(t, "--redis-url", url)
			w := newWatch(t, url)
			_, closeAll, err := openPlanesWith(context.Background(), cfg, t.TempDir(), func(step string) error {
				if step == s.name {
					return errFault
				}
				return nil
			})
			if !errors.Is(err, errFault) {
				if closeAll != nil {
					closeAll()
				}
				t.Fatalf("openPlanesWith = %v, want the injected fault", err)
			}
			w.settled()
		})
	}
}

// TestPlanesOpenAndClose: a clean start opens every part (the revocation
// bus on the external Redis included) and its close releases all of it;
// closing twice is harmless.
func TestPlanesOpenAndClose(t *testing.T) {
	url := kvtest.URL(t)
	cfg := planesConfig(t, "--redis-url", url)
	w := newWatch(t, url)
	dir := t.TempDir()
	deps, closeAll, err := openPlanes(context.Background(), cfg, dir)
	if err != nil {
		t.Fatal(err)
	}
	if deps.Store == nil || deps.KV == nil || deps.Hub == nil || deps.Engine == nil || deps.Audit == nil ||
		deps.Registry == nil || deps.Revoker == nil || deps.Ownership == nil || deps.Config != cfg {
		t.Fatalf("incomplete deps: %+v", deps)
	}
	if _, ok := deps.Revoker.(*revocation.Bus); !ok {
		t.Errorf("with an external Redis the revoker is %T, want the shared *revocation.Bus", deps.Revoker)
	}
	if err := deps.KV.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis after start: %v", err)
	}
	if _, err := deps.Store.ListUserIDs(context.Background()); err != nil {
		t.Fatalf("store after start: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, sqlite.FileName)); err != nil {
		t.Fatalf("no data plane file: %v", err)
	}
	closeAll()
	closeAll()
	w.settled()
	if _, err := deps.Store.ListUserIDs(context.Background()); err == nil {
		t.Error("the store still answers after close")
	}
}

// Package kvtest gives tests a real Redis server: NYX_TEST_REDIS_URL if
// set, else a redis-server started on a free port for the test process.
// With CI=true a missing server fails the test instead of skipping it.
package kvtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

var (
	once    sync.Once
	url     string
	startEr error
	proc    *exec.Cmd
)

// Run wraps testing.M and stops the server this process started.
func Run(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops the server this process started, if any; for a TestMain that
// already wraps m.Run in another harness.
func Stop() {
	if proc != nil {
		proc.Process.Kill()
		proc.Wait()
		proc = nil
	}
}

// URL returns a redis:// URL of a real Redis server, flushed before return.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(func() { url, startEr = find() })
	if startEr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("kvtest: no Redis server: %v", startEr)
		}
		t.Skipf("kvtest: no Redis server (%v); install redis-server or set NYX_TEST_REDIS_URL", startEr)
	}
	return url
}

func find() (string, error) {
	if u := os.Getenv("NYX_TEST_REDIS_URL"); u != "" {
		return u, ping(u)
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	proc = exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := proc.Start(); err != nil {
		return "", err
	}
	u := fmt.Sprintf("redis://127.0.0.1:%d/0", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err = ping(u); err == nil || time.Now().After(deadline) {
			return u, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ping(u string) error {
	opts, err := redis.ParseURL(u)
	if err != nil {
		return err
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return c.Ping(ctx).Err()
}

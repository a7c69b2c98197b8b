package kv_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
)

func TestMain(m *testing.M) { os.Exit(kvtest.Run(m)) }

// TestBothBackendsBehaveAlike runs the same Redis-protocol checks on the
// in-process server and on a real redis-server.
func TestBothBackendsBehaveAlike(t *testing.T) {
	ctx := context.Background()
	backends := []struct{ name, url, kind string }{
		{"embedded", "", kv.KindEmbedded},
		{"external", kvtest.URL(t), kv.KindExternal},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			c, err := kv.Open(ctx, b.url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if c.Kind() != b.kind {
				t.Fatalf("Kind = %q, want %q", c.Kind(), b.kind)
			}
			key := "kvtest:" + b.name
			if err := c.Set(ctx, key, "v", 300*time.Millisecond).Err(); err != nil {
				t.Fatal(err)
			}
			if v, _ := c.Get(ctx, key).Result(); v != "v" {
				t.Fatalf("Get = %q", v)
			}
			time.Sleep(500 * time.Millisecond)
			if n, _ := c.Exists(ctx, key).Result(); n != 0 {
				t.Fatal("key outlived its TTL: limits would never reset")
			}
			n, err := c.Eval(ctx, `return redis.call('INCRBY', KEYS[1], ARGV[1])`, []string{key + ":lua"}, 5).Int()
			if err != nil || n != 5 {
				t.Fatalf("Lua script = %d, %v", n, err)
			}
			c.Del(ctx, key+":lua")
		})
	}
}

func TestOpenRefusesUnreachableRedis(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if _, err := kv.Open(ctx, "redis://127.0.0.1:1/0"); err == nil {
		t.Fatal("Open succeeded against a closed port")
	}
	if _, err := kv.Open(ctx, "not a url"); err == nil {
		t.Fatal("Open accepted a malformed URL")
	}
}

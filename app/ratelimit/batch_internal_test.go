package ratelimit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
)

// TestBatchRecoversFromNoScript sends one pipeline to a server that has
// forgotten the script: every call must still run, exactly once.
func TestBatchRecoversFromNoScript(t *testing.T) {
	ctx := context.Background()
	c, err := kv.Open(ctx, kvtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := newBatcher(c)
	if b.off {
		t.Fatal("batching off for an external Redis")
	}
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	batch := make([]*call, 5)
	for i := range batch {
		key := fmt.Sprintf("nyx:rl:test:noscript:%d:%d", time.Now().UnixNano(), i)
		batch[i] = &call{keys: []string{key}, args: []any{1, "0.001", 3}}
	}
	b.exec(ctx, batch)
	for i, c := range batch {
		if c.err != nil || len(c.res) != 4 || c.res[0] != 1 || c.res[1] != 2 {
			t.Fatalf("call %d: %v, %v; want allowed with 2 of 3 left (charged once)", i, c.res, c.err)
		}
	}
}

func TestBatchingOffForEmbeddedServer(t *testing.T) {
	c, err := kv.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !newBatcher(c).off {
		t.Fatal("pipelines over kv's net.Pipe can deadlock; batching must be off")
	}
}

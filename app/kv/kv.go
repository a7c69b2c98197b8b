// Package kv is nyxCore's Redis-protocol client for limits, budgets and
// short-lived state. With a URL it talks to an external Redis; without one
// it runs miniredis in-process, reached through an in-memory pipe so no
// port is opened, with TTLs following the wall clock.
package kv

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// Kinds of backing server.
const (
	KindEmbedded = "embedded"
	KindExternal = "external"
)

// Client is a go-redis client plus what it talks to. It is safe for concurrent use.
type Client struct {
	*redis.Client
	kind string
	mini *miniredis.Miniredis
}

// Open connects to url, or starts an in-process server when url is empty.
// It pings before returning so a wrong URL fails at start, not on first use.
func Open(ctx context.Context, url string) (*Client, error) {
	c := &Client{kind: KindExternal}
	if url == "" {
		c.kind = KindEmbedded
		c.mini = miniredis.NewMiniRedis()
		c.mini.ClockTTL(true) // without it TTLs never expire
		c.Client = redis.NewClient(&redis.Options{
			Dialer: func(context.Context, string, string) (net.Conn, error) { return c.mini.Dial() },
		})
	} else {
		opts, err := redis.ParseURL(url)
		if err != nil {
			return nil, fmt.Errorf("kv: parse redis url: %w", err)
		}
		// Fail fast when Redis is down: limits have a policy for that, and a
		// request must not wait half a second on dial retries first.
		opts.DialTimeout, opts.DialerRetries = time.Second, 1
		// Callers' deadlines bound the socket reads and writes too (the
		// limiter's ratelimit.timeout), not only go-redis's 3 s defaults:
		// a Redis that hangs must not hold a request for seconds.
		opts.ContextTimeoutEnabled = true
		c.Client = redis.NewClient(opts)
	}
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		return nil, fmt.Errorf("kv: ping %s redis: %w", c.kind, err)
	}
	return c, nil
}

// Kind is KindEmbedded or KindExternal.
func (c *Client) Kind() string { return c.kind }

// Close closes the client and stops the in-process server, if any.
func (c *Client) Close() error {
	err := c.Client.Close()
	if c.mini != nil {
		c.mini.Close()
	}
	return err
}

package ollamatest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// StallProxy is a TCP proxy in front of a server (a real Ollama) that can
// be made to stall as a hung provider does: connections stay open, the
// request is accepted, and nothing more comes back — no bytes, no close.
type StallProxy struct {
	l       net.Listener
	target  string
	stalled atomic.Bool
	mu      sync.Mutex
	conns   []net.Conn
}

// NewStallProxy listens on a free loopback port and forwards to target
// (host:port) until Stall; it closes at the end of t.
func NewStallProxy(t testing.TB, target string) *StallProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &StallProxy{l: l, target: target}
	go p.serve()
	t.Cleanup(p.Close)
	return p
}

// URL is the proxy's http:// URL.
func (p *StallProxy) URL() string { return "http://" + p.l.Addr().String() }

// Stall stops forwarding the server's bytes on every connection, open or
// new; requests are still read, so clients see a connection that hangs.
func (p *StallProxy) Stall() { p.stalled.Store(true) }

// Close closes the listener and every connection.
func (p *StallProxy) Close() {
	p.l.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *StallProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func (p *StallProxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.track(c)
		go p.handle(c)
	}
}

func (p *StallProxy) handle(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.track(up)
	go io.Copy(up, c) //nolint:errcheck // ends when either side closes
	buf := make([]byte, 512)
	for {
		if p.stalled.Load() {
			io.Copy(io.Discard, up) //nolint:errcheck // swallow the server's bytes; the client gets none
			return
		}
		n, err := up.Read(buf)
		if n > 0 && !p.stalled.Load() {
			if _, werr := c.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			c.Close()
			return
		}
	}
}

package kvtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Server is a redis-server of one test's own, for fault tests: it can be
// stopped and started again on the same port, or paused (SIGSTOP) so it
// holds connections open and answers nothing, as a hung Redis does.
type Server struct {
	bin  string
	port int
	proc *exec.Cmd
}

// Start starts a redis-server for t on a free port and stops it at the
// end of t. With CI=true a missing redis-server fails t; else t is skipped.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("kvtest: no redis-server: %v", err)
		}
		t.Skipf("kvtest: no redis-server (%v)", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{bin: bin, port: l.Addr().(*net.TCPAddr).Port}
	l.Close()
	s.Restart(t)
	t.Cleanup(s.Stop)
	return s
}

// URL is the server's redis:// URL.
func (s *Server) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Restart starts the server again on its port (after Stop) and waits
// until it answers.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if s.proc != nil {
		t.Fatalf("kvtest: Restart of a running server")
	}
	s.proc = exec.Command(s.bin, "--port", fmt.Sprint(s.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := s.proc.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := ping(s.URL())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("kvtest: redis-server on %d did not answer: %v", s.port, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the server; connections to it are refused until Restart.
func (s *Server) Stop() {
	if s.proc == nil {
		return
	}
	s.proc.Process.Signal(syscall.SIGCONT) //nolint:errcheck // a paused server must be able to die
	s.proc.Process.Kill()                  //nolint:errcheck // already gone is fine
	s.proc.Wait()                          //nolint:errcheck // killed
	s.proc = nil
}

// Pause stops the server's process without closing its sockets: clients
// connect and send, and nothing answers, until Resume.
func (s *Server) Pause() { s.proc.Process.Signal(syscall.SIGSTOP) } //nolint:errcheck // test helper

// Resume continues a paused server.
func (s *Server) Resume() { s.proc.Process.Signal(syscall.SIGCONT) } //nolint:errcheck // test helper

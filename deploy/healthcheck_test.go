package deploy

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/certs"
)

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// started is a running `nyxcore serve`.
type started struct {
	cmd    *exec.Cmd
	exited chan error
	logs   *bytes.Buffer
}

// startServe starts the built binary with args, as a container or systemd
// would; it is killed at the end of the test if still running.
func startServe(t *testing.T, args ...string) *started {
	t.Helper()
	s := &started{cmd: exec.Command(binary(t), append([]string{"serve"}, args...)...), exited: make(chan error, 1), logs: &bytes.Buffer{}}
	s.cmd.Env = cleanEnv()
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.exited
		}
	})
	return s
}

// untilHealthy runs `nyxcore healthcheck args` in dir until it exits 0 and
// returns its output; exit codes other than 0 and 1 fail at once.
func untilHealthy(t *testing.T, s *started, dir string, args ...string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, out, errOut := nyxcore(t, dir, append([]string{"healthcheck"}, args...)...)
		if code == 0 {
			return out
		}
		if code != 1 || time.Now().After(deadline) {
			t.Fatalf("healthcheck against a starting server: exit %d %q; server log:\n%s", code, errOut, s.logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop sends SIGTERM and requires a clean exit well inside compose's and
// systemd's grace period.
func (s *started) stop(t *testing.T) {
	t.Helper()
	start := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM; want 0", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("serve took %v to stop after SIGTERM", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve still running 15 s after SIGTERM")
	}
}

// TestHealthcheckAgainstARealServer starts the built binary and probes it
// the way the HEALTHCHECK does.
func TestHealthcheckAgainstARealServer(t *testing.T) {
	addr := freePort(t)
	// Its only model host (ollama.host) is a port nothing listens on.
	srv := startServe(t, "--http", addr, "--dir", filepath.Join(t.TempDir(), "data"), "--ollama-host", "http://127.0.0.1:1")
	probeDir := t.TempDir()
	out := untilHealthy(t, srv, probeDir, "--http", addr)
	if !strings.Contains(out, "healthy") || !strings.Contains(out, "embedded mode") {
		t.Errorf("healthcheck output %q; want it to say healthy and the mode", out)
	}
	// Alive but not ready: readiness names what is missing.
	if code, _, errOut := nyxcore(t, probeDir, "healthcheck", "--ready", "--http", addr); code != 1 ||
		!strings.Contains(errOut, "not ready") || !strings.Contains(errOut, "models") {
		t.Errorf("healthcheck --ready with no model host: exit %d %q; want 1 naming models", code, errOut)
	}
	// The probe must not create or touch a data dir of its own.
	if entries, _ := os.ReadDir(probeDir); len(entries) != 0 {
		t.Errorf("healthcheck wrote %v into its working directory", entries)
	}
	srv.stop(t)
	code, _, errOut := nyxcore(t, probeDir, "healthcheck", "--http", addr)
	if code != 1 || !strings.Contains(errOut, "unhealthy") {
		t.Errorf("healthcheck after the server stopped: exit %d %q; want 1, unhealthy", code, errOut)
	}
}

// TestHealthcheckOverHTTPS: with tls=self-signed the probe asks the HTTPS
// listener and verifies its certificate against the data dir's local CA
// root, so it passes against the server of that data dir, fails against
// a certificate from another CA, and fails once the server is stopped.
func TestHealthcheckOverHTTPS(t *testing.T) {
	other := t.TempDir() // another server's data dir: another local CA
	if _, err := certs.LoadOrCreateCA(other); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		http bool
	}{{"https only", false}, {"https and http", true}} {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			https := freePort(t)
			flags := []string{"--tls", "self-signed", "--https", https}
			if c.http {
				flags = append(flags, "--http", freePort(t))
			}
			srv := startServe(t, append(flags, "--dir", data)...)
			probeDir := t.TempDir()
			out := untilHealthy(t, srv, probeDir, append(flags, "--dir", data)...)
			if want := "healthy: https://" + https + "/api/nyx/health (embedded mode)"; !strings.Contains(out, want) {
				t.Errorf("healthcheck output %q; want %q", out, want)
			}
			for _, bad := range []struct{ dir, why string }{
				{other, "certificate signed by unknown authority"},
				{t.TempDir(), "local CA root"},
			} {
				code, _, errOut := nyxcore(t, probeDir, append(append([]string{"healthcheck"}, flags...), "--dir", bad.dir)...)
				if code != 1 || !strings.Contains(errOut, "unhealthy") || !strings.Contains(errOut, bad.why) {
					t.Errorf("healthcheck --dir %s: exit %d %q; want 1, unhealthy: %s", bad.dir, code, errOut, bad.why)
				}
			}
			srv.stop(t)
			code, _, errOut := nyxcore(t, probeDir, append(append([]string{"healthcheck"}, flags...), "--dir", data)...)
			if code != 1 || !strings.Contains(errOut, "unhealthy") || !strings.Contains(errOut, "connection refused") {
				t.Errorf("healthcheck after the server stopped: exit %d %q; want 1, unhealthy", code, errOut)
			}
		})
	}
}

func TestHealthcheckFailures(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/nyx/health" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "hello")
	}))
	defer other.Close()
	for _, tc := range []struct{ name, url, why string }{
		{"dead address", "http://" + freePort(t) + "/api/nyx/health", "connection refused"},
		{"not nyxCore", other.URL + "/api/nyx/health", "not a healthy nyxCore answer"},
		{"not found", other.URL + "/nope", "status 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := nyxcore(t, t.TempDir(), "healthcheck", "--url", tc.url, "--timeout", "3s")
			if code != 1 || !strings.Contains(errOut, "unhealthy") || !strings.Contains(errOut, tc.why) {
				t.Errorf("exit %d, %q; want 1 and unhealthy: %s", code, errOut, tc.why)
			}
		})
	}
	// An unspecified listen address is probed on loopback.
	code, _, errOut := nyxcore(t, t.TempDir(), "healthcheck", "--http", "0.0.0.0:"+strings.Split(freePort(t), ":")[1])
	if code != 1 || !strings.Contains(errOut, "http://127.0.0.1:") {
		t.Errorf("healthcheck --http 0.0.0.0:port: exit %d %q; want it to dial 127.0.0.1", code, errOut)
	}
}

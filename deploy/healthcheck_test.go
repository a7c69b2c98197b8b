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

// TestHealthcheckAgainstARealServer starts the built binary, as a container
// or systemd would, and probes it the way the HEALTHCHECK does.
func TestHealthcheckAgainstARealServer(t *testing.T) {
	bin := binary(t)
	addr := freePort(t)
	data := filepath.Join(t.TempDir(), "data")
	srv := exec.Command(bin, "serve", "--http", addr, "--dir", data)
	srv.Env = cleanEnv()
	var logs bytes.Buffer
	srv.Stdout, srv.Stderr = &logs, &logs
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() {
		if srv.ProcessState == nil {
			srv.Process.Kill()
			<-exited
		}
	})

	probeDir := t.TempDir()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, out, errOut := nyxcore(t, probeDir, "healthcheck", "--http", addr)
		if code == 0 {
			if !strings.Contains(out, "healthy") || !strings.Contains(out, "embedded mode") {
				t.Errorf("healthcheck output %q; want it to say healthy and the mode", out)
			}
			break
		}
		if code != 1 || time.Now().After(deadline) {
			t.Fatalf("healthcheck against a starting server: exit %d %q; server log:\n%s", code, errOut, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The probe must not create or touch a data dir of its own.
	if entries, _ := os.ReadDir(probeDir); len(entries) != 0 {
		t.Errorf("healthcheck wrote %v into its working directory", entries)
	}

	// SIGTERM: the server stops well inside compose's and systemd's grace.
	start := time.Now()
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM; want 0", err)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("serve took %v to stop after SIGTERM", d)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve still running 15 s after SIGTERM")
	}
	code, _, errOut := nyxcore(t, probeDir, "healthcheck", "--http", addr)
	if code != 1 || !strings.Contains(errOut, "unhealthy") {
		t.Errorf("healthcheck after the server stopped: exit %d %q; want 1, unhealthy", code, errOut)
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

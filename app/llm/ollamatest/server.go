package ollamatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Model names every server has.
const (
	// ModelTiny generates " Hello from a tiny test model." over and over
	// until num_predict (done_reason "length"); the text is deterministic.
	ModelTiny = "tiny:latest"
	// ModelTinyEOS says " Hello from a tiny test model." once and stops
	// (done_reason "stop").
	ModelTinyEOS = "tiny-eos:latest"
)

// readyTimeout bounds how long a server may take to answer /api/version; it
// takes 75–140 ms on the development machines.
const readyTimeout = 30 * time.Second

// stopGrace is how long Stop lets `ollama serve` shut its runners down
// before it kills the whole process group.
const stopGrace = 5 * time.Second

// Server is one running `ollama serve` with its own port, HOME and model
// directory. Its methods may be called from several goroutines.
type Server struct {
	bin, dir string // dir holds home/, models/ and serve.log
	port     int
	parallel int    // OLLAMA_NUM_PARALLEL
	cpus     string // taskset CPU list, "" for any

	mu   sync.Mutex
	cmd  *exec.Cmd     // nil when stopped
	done chan struct{} // closed when cmd has been waited for
}

// live holds every server this process started, for Run to stop.
var live = struct {
	sync.Mutex
	m map[*Server]struct{}
}{m: map[*Server]struct{}{}}

// Run runs the tests and then stops every server this process started and
// that is still running. Use it as os.Exit(ollamatest.Run(m)) in TestMain.
func Run(m *testing.M) int {
	code := m.Run()
	live.Lock()
	servers := make([]*Server, 0, len(live.m))
	for s := range live.m {
		servers = append(servers, s)
	}
	live.Unlock()
	for _, s := range servers {
		s.Stop()
	}
	return code
}

// Start returns a new running server with ModelTiny and ModelTinyEOS,
// building the ollama binary and the models first unless they are cached.
// The server is stopped when t ends. When no server can run here, Start
// fails t if the CI environment variable is truthy and skips it otherwise.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, 1, "")
}

// StartParallel is Start with n generation slots per model instead of one,
// for benchmarks that need many streams served at once rather than queued.
func StartParallel(t testing.TB, n int) *Server {
	t.Helper()
	return start(t, n, "")
}

// StartParallelOn is StartParallel with the server and its runners pinned
// to the CPUs in cpus (a taskset list such as "1" or "2-3"), as if
// inference ran on hardware of its own: benchmarks of what nyxCore adds
// then measure nyxCore, not its fight with the runner for the same cores.
func StartParallelOn(t testing.TB, n int, cpus string) *Server {
	t.Helper()
	if _, err := exec.LookPath("taskset"); err != nil {
		unavailable(t, fmt.Errorf("ollamatest: taskset (util-linux) is needed to pin Ollama to CPUs %s: %w", cpus, err))
	}
	return start(t, n, cpus)
}

func start(t testing.TB, parallel int, cpus string) *Server {
	t.Helper()
	begin := time.Now()
	art, err := startable(t)
	if err != nil {
		unavailable(t, err)
	}
	s := &Server{bin: art.bin, dir: t.TempDir(), parallel: parallel, cpus: cpus}
	for _, d := range []string{"home", "models"} {
		if err := os.Mkdir(filepath.Join(s.dir, d), 0o755); err != nil {
			t.Fatalf("ollamatest: %v", err)
		}
	}
	if err := s.launchOnFreePort(); err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("ollamatest: last lines of %s:\n%s", s.URL(), s.logTail(40))
		}
		s.Stop()
	})
	if err := s.createModels(art); err != nil {
		t.Fatalf("ollamatest: %v\nserver log:\n%s", err, s.logTail(40))
	}
	t.Logf("ollamatest: %s ready with %d models in %v", s.URL(), len(art.models), time.Since(begin).Round(time.Millisecond))
	return s
}

var reapOnce sync.Once

func startable(t testing.TB) (*artefacts, error) {
	if err := supported(); err != nil {
		return nil, err
	}
	reapOnce.Do(reapOrphans)
	return prepareOnce(t.Logf)
}

// unavailable skips t with the reason, or fails it on CI, where a missing
// server must not pass as a green run.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if ciStrict() {
		t.Fatalf("ollamatest: no real Ollama server: %v", err)
	}
	t.Skipf("ollamatest: no real Ollama server: %v (with CI=true this fails the test)", err)
}

func ciStrict() bool {
	switch strings.ToLower(strings.TrimSpace(os.Getenv("CI"))) {
	case "1", "t", "true", "y", "yes", "on":
		return true
	}
	return false
}

// URL is the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return "http://127.0.0.1:" + strconv.Itoa(s.port) }

// Models lists the model names the server has, as /api/tags spells them.
func (s *Server) Models() []string { return []string{ModelTiny, ModelTinyEOS} }

// Stop kills the server and its runner processes and waits until they are
// gone, so URL refuses connections afterwards. Stopping twice is harmless.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

// Restart starts the server again on the same port with the same HOME and
// model directory, so the models created by Start are still there. It stops
// the server first if it is running.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	if err := s.launchLocked(); err != nil {
		t.Fatalf("ollamatest: restart %s: %v", s.URL(), err)
	}
}

func (s *Server) stopLocked() {
	if s.cmd == nil {
		return
	}
	pid := s.cmd.Process.Pid
	terminate(pid)
	select {
	case <-s.done:
	case <-time.After(stopGrace):
	}
	killGroup(pid) // runners of a server that hung or crashed
	<-s.done
	s.cmd, s.done = nil, nil
	live.Lock()
	delete(live.m, s)
	live.Unlock()
}

// launchOnFreePort picks a free port and launches; another process may grab
// the port between the probe and the server's bind, so it tries a few.
func (s *Server) launchOnFreePort() error {
	var err error
	for range 3 {
		if s.port, err = freePort(); err != nil {
			return err
		}
		s.mu.Lock()
		err = s.launchLocked()
		s.mu.Unlock()
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			return err
		}
	}
	return err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("ollamatest: free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// launchLocked starts `ollama serve` and waits until it answers.
func (s *Server) launchLocked() error {
	logf, err := os.OpenFile(filepath.Join(s.dir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	// An *os.File, not a pipe: Wait must return when serve exits, not when
	// the runners that inherit the descriptor do.
	defer logf.Close()
	cmd := exec.Command(s.bin, "serve")
	if s.cpus != "" {
		cmd = exec.Command("taskset", "--cpu-list", s.cpus, s.bin, "serve")
	}
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = s.dir, s.env(), logf, logf
	ownProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("ollamatest: start %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	s.cmd, s.done = cmd, done
	live.Lock()
	live.m[s] = struct{}{}
	live.Unlock()
	if err := s.waitReady(done); err != nil {
		s.stopLocked()
		return fmt.Errorf("%w\nserver log:\n%s", err, s.logTail(20))
	}
	return nil
}

// env is the server's environment: the test's, minus HOME, GIN_MODE and
// every OLLAMA_* setting a developer may have exported, plus ours and the
// owner mark reapOrphans looks for.
func (s *Server) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "GIN_MODE" || k == ownerEnv || strings.HasPrefix(k, "OLLAMA_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"HOME="+filepath.Join(s.dir, "home"), // serve writes ~/.ollama/id_ed25519
		"OLLAMA_HOST=127.0.0.1:"+strconv.Itoa(s.port),
		"OLLAMA_MODELS="+filepath.Join(s.dir, "models"),
		"OLLAMA_NO_CLOUD=1",
		"OLLAMA_NUM_PARALLEL="+strconv.Itoa(max(s.parallel, 1)),
		"GIN_MODE=release",
		ownerEnv+"="+strconv.Itoa(os.Getpid()),
	)
}

func (s *Server) waitReady(exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/api/version", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("ollamatest: ollama serve exited before answering")
		case <-ctx.Done():
			return fmt.Errorf("ollamatest: ollama serve not answering on %s after %v", s.URL(), readyTimeout)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// logTail returns the last n lines the server wrote.
func (s *Server) logTail(n int) string {
	b, err := os.ReadFile(filepath.Join(s.dir, "serve.log"))
	if err != nil {
		return err.Error()
	}
	return tail(b, n)
}

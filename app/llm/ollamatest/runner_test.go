package ollamatest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
)

// runnerProc is the `ollama runner` process serving a model for one server,
// watched through /proc: its CPU time shows whether it is generating.
type runnerProc struct{ pid int } // 0: not found (no /proc), checks are skipped

// findRunner finds the runner child of s by the OLLAMA_HOST it inherited.
func findRunner(t *testing.T, s *ollamatest.Server) *runnerProc {
	t.Helper()
	host := []byte("OLLAMA_HOST=" + strings.TrimPrefix(s.URL(), "http://") + "\x00")
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmdline, _ := os.ReadFile(filepath.Join(d, "cmdline"))
		env, _ := os.ReadFile(filepath.Join(d, "environ"))
		if bytes.Contains(cmdline, []byte("\x00runner\x00")) && bytes.Contains(env, host) {
			pid, _ := strconv.Atoi(filepath.Base(d))
			return &runnerProc{pid}
		}
	}
	if len(dirs) == 0 {
		t.Logf("no /proc: runner CPU checks skipped")
		return &runnerProc{}
	}
	t.Fatalf("no runner process for %s", s.URL())
	return nil
}

// cpu is the runner's user+system CPU time.
func (r *runnerProc) cpu(t *testing.T) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(r.pid) + "/stat")
	if err != nil {
		t.Errorf("runner %d: %v", r.pid, err)
		return 0
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:])) // f[0] is field 3, state
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// cpuOver returns the CPU time the runner used during d.
func (r *runnerProc) cpuOver(t *testing.T, d time.Duration) time.Duration {
	before := r.cpu(t)
	time.Sleep(d)
	return r.cpu(t) - before
}

// assertBusy checks the runner is generating: at least a third of a core.
// It may run on another goroutine than the test's.
func (r *runnerProc) assertBusy(t *testing.T) {
	if r.pid == 0 {
		return
	}
	if used := r.cpuOver(t, 300*time.Millisecond); used < 100*time.Millisecond {
		t.Errorf("runner used %v CPU in 300ms while generating; the idle check below would prove nothing", used)
	}
}

// assertIdle checks the runner stopped generating after a short grace.
func (r *runnerProc) assertIdle(t *testing.T) {
	if r.pid == 0 {
		return
	}
	time.Sleep(200 * time.Millisecond)
	if used := r.cpuOver(t, 500*time.Millisecond); used > 50*time.Millisecond {
		t.Errorf("runner used %v CPU in 500ms after the cancel: still generating", used)
	}
}

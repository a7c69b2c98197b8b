//go:build unix

package ollamatest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
)

// supported reports whether this platform can run the harness.
func supported() error { return nil }

// lockFile takes an exclusive flock(2) on path, calling waiting first if
// another test process holds it (and is building); the lock dies with the
// process if it crashes.
func lockFile(path string, waiting func()) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == syscall.EWOULDBLOCK {
		waiting()
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("flock %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// ownProcessGroup makes cmd the leader of a new process group; the runners
// `ollama serve` spawns inherit it, so killGroup reaches them too.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate asks pid to shut down: `ollama serve` closes its listener, then
// kills and reaps its runners, so none is left to be reaped by init.
func terminate(pid int) { syscall.Kill(pid, syscall.SIGTERM) }

// killGroup sends SIGKILL to every process left in the group led by pid.
func killGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

// ownerEnv marks every server and runner with the pid of the test process
// that started it, so a later run can find the ones a killed test binary
// (a go test timeout, a SIGKILL) left behind.
const ownerEnv = "NYX_OLLAMATEST_OWNER"

// reapOrphans kills the process groups of servers whose owner is gone. It
// reads /proc, so it does nothing where there is none.
func reapOrphans() {
	dirs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, environ := range dirs {
		env, err := os.ReadFile(environ)
		if err != nil {
			continue
		}
		owner, ok := envValue(env, ownerEnv)
		if !ok {
			continue
		}
		ownerPID, err := strconv.Atoi(owner)
		if err != nil || syscall.Kill(ownerPID, 0) != syscall.ESRCH {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(environ)))
		if pgid, err := syscall.Getpgid(pid); err == nil && pgid > 1 {
			syscall.Kill(-pgid, syscall.SIGKILL)
		}
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// envValue finds key in a NUL-separated environment block.
func envValue(env []byte, key string) (string, bool) {
	for _, kv := range bytes.Split(env, []byte{0}) {
		if k, v, ok := bytes.Cut(kv, []byte("=")); ok && string(k) == key {
			return string(v), true
		}
	}
	return "", false
}

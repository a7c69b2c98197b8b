//go:build unix

package ollamatest

import (
	"fmt"
	"os"
	"os/exec"
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

//go:build unix

package pgtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// processAlive reports whether pid names a running process.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	// EPERM means it exists but belongs to someone else.
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	// A zombie still answers kill(pid, 0). Stopped postmasters become
	// zombies wherever PID 1 does not reap orphans (many containers), and
	// must not count as running or the reaper would wait on them forever.
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && i+2 < len(b) && b[i+2] == 'Z' {
			return false
		}
	}
	return true
}

// terminate asks a postmaster for an immediate shutdown.
func terminate(pid int) error {
	return syscall.Kill(pid, syscall.SIGQUIT)
}

// setCredential makes cmd run as u, for systems without runuser.
func setCredential(cmd *exec.Cmd, u *osUser) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{
		Uid: uint32(u.uid), Gid: uint32(u.gid), Groups: u.groups,
	}}
}

// traversable checks that u may search dir and every directory above it,
// which the server needs to reach its data directory and socket.
func traversable(dir string, u *osUser) error {
	p, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	if p, err = filepath.Abs(p); err != nil {
		return err
	}
	for {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil // cannot tell; let initdb report any problem
		}
		perm := fi.Mode().Perm()
		var search bool
		switch {
		case uint64(st.Uid) == uint64(u.uid):
			search = perm&0o100 != 0
		case u.inGroup(uint64(st.Gid)):
			search = perm&0o010 != 0
		default:
			search = perm&0o001 != 0
		}
		if !search {
			return fmt.Errorf("%s (mode %v) is not searchable by user %s", p, perm, u.name)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

// onInterrupt runs cleanup when the process gets SIGINT or SIGTERM, then
// re-raises the signal so the process still dies of it as it would have.
// Without this, Ctrl-C would leak the cluster: pg_ctl puts the postmaster
// in its own session, out of reach of the terminal's signal. The returned
// func stops watching.
func onInterrupt(cleanup func()) (release func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			// Stop first so that a second Ctrl-C during a slow cleanup
			// kills the process right away.
			signal.Stop(ch)
			cleanup()
			if s, ok := sig.(syscall.Signal); ok {
				syscall.Kill(os.Getpid(), s)
			}
		case <-done:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
	}
}

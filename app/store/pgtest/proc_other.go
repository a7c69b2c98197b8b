//go:build !unix

package pgtest

import (
	"errors"
	"os/exec"
)

// processAlive reports every process as alive, since liveness cannot be
// checked here; the reaper then never removes anything.
func processAlive(pid int) bool { return true }

// terminate is unsupported here.
func terminate(pid int) error { return errors.ErrUnsupported }

// setCredential is never reached: only Unix has a root to drop.
func setCredential(cmd *exec.Cmd, u *osUser) {}

// traversable assumes yes; initdb reports a real problem itself.
func traversable(dir string, u *osUser) error { return nil }

// onInterrupt does nothing here; Run still stops the cluster after the tests.
func onInterrupt(cleanup func()) (release func()) { return func() {} }

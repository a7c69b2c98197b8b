//go:build !unix

package ollamatest

import (
	"errors"
	"os/exec"
)

// The harness needs process groups and flock(2); elsewhere Start reports
// the server as unavailable.

var errUnsupported = errors.New("process groups and flock are unix-only")

func supported() error {
	return &unavailableError{"ollamatest runs on unix only", "run the tests on Linux"}
}

func lockFile(string, func()) (func(), error) { return nil, errUnsupported }
func ownProcessGroup(*exec.Cmd)               {}
func terminate(int)                           {}
func killGroup(int)                           {}

const ownerEnv = "NYX_OLLAMATEST_OWNER"

func reapOrphans() {}

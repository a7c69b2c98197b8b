//go:build !unix

package backup

import "errors"

const lockName = ".nyx_serve.lock"

// ErrServing reports that a server is running on the data dir.
var ErrServing = errors.New("backup: a nyxcore server is running on this data dir")

// HoldServeLock cannot detect a running server on this platform: stop the
// server before restoring (README, Backups).
func HoldServeLock(string) (func(), error) { return func() {}, nil }

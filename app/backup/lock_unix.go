//go:build unix

package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockName is the file a serving process holds an exclusive flock on.
const lockName = ".nyx_serve.lock"

// ErrServing reports that a server is running on the data dir.
var ErrServing = errors.New("backup: a nyxcore server is running on this data dir")

// HoldServeLock takes the data dir's serve lock for the life of the process
// (or until release is called). It fails with ErrServing when another
// process holds it.
func HoldServeLock(dataDir string) (release func(), err error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dataDir, lockName), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: serve lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrServing
		}
		return nil, fmt.Errorf("backup: serve lock: %w", err)
	}
	return func() { f.Close() }, nil
}

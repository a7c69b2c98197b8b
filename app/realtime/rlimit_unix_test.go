//go:build unix

package realtime

import (
	"syscall"
	"testing"
)

// raiseOpenFiles lifts the soft open-files limit to at least n (up to the
// hard limit) for benchmarks that hold thousands of sockets.
func raiseOpenFiles(b *testing.B, n uint64) {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		b.Logf("getrlimit: %v", err)
		return
	}
	if l.Cur >= n {
		return
	}
	l.Cur = min(n, l.Max)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		b.Logf("setrlimit: %v", err)
	}
}

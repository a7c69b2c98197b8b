package backup

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// inotifyFDs counts this process's open inotify instances: each
// bootstrapped PocketBase app holds one for its pb_data/.pb_notify watcher.
func inotifyFDs(t *testing.T) int {
	t.Helper()
	dir := "/proc/self/fd"
	entries, err := os.ReadDir(dir)
	must(t, err)
	n := 0
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && target == "anon_inode:inotify" {
			n++
		}
	}
	return n
}

// A restore closes the control plane before it moves pb_data aside. The
// data-dir watcher must be stopped by then: left running, its goroutine
// reads the database handles ResetBootstrapState clears (the data race
// `go test -race` reported) and reacts to the move of .pb_notify itself.
func TestRestoreStopsTheDataDirWatcher(t *testing.T) {
	ctx := context.Background()
	e := newEmbedded(t)
	name, err := Create(ctx, e.app, e.plane, "", false)
	must(t, err)
	before := inotifyFDs(t)
	if before == 0 {
		t.Fatal("the bootstrapped control plane has no data-dir watcher")
	}
	_, err = Restore(ctx, e.app, e.plane, name)
	must(t, err)
	if after := inotifyFDs(t); after != before-1 {
		t.Fatalf("inotify watchers: %d before the restore, %d after; want the app's own watcher closed", before, after)
	}
}

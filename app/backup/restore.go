package backup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/archive"
	"github.com/pocketbase/pocketbase/tools/osutils"

	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// Result describes a finished restore.
type Result struct {
	Manifest *Manifest
	// Replaced is the directory inside the data dir that holds what the
	// restore replaced, laid out like a backup (nyx_backup/ has a
	// snapshot of the replaced data plane and its manifest).
	Replaced string
	// Migrated lists the data-plane migrations applied after the restore.
	Migrated []string
}

// Restore replaces both planes with the backup name from app's backups
// storage. The caller must make sure no server runs on the data dir
// (HoldServeLock). The backup is verified in full before anything changes;
// PocketBase's database handles of app are closed before the data dir is
// swapped, so app must not be used afterwards.
func Restore(ctx context.Context, app core.App, p Plane, name string) (*Result, error) {
	return RestoreFrom(ctx, app, p, Source{Name: name})
}

// RestoreFile is Restore from a backup file outside the backups storage,
// read in place (see Source).
func RestoreFile(ctx context.Context, app core.App, p Plane, path string) (*Result, error) {
	return RestoreFrom(ctx, app, p, Source{Path: path})
}

// RestoreFrom is Restore from src (see Locate).
func RestoreFrom(ctx context.Context, app core.App, p Plane, src Source) (*Result, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	dataDir := app.DataDir()
	tmp, err := tempDir(dataDir)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(tmp, "nyx_restore_")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)
	zipPath, err := fetch(ctx, app, p, src, work)
	if err != nil {
		return nil, err
	}
	m, err := Verify(zipPath, p.Driver)
	if err != nil {
		return nil, err
	}
	extracted := filepath.Join(work, "extracted")
	if err := archive.Extract(zipPath, extracted); err != nil {
		return nil, fmt.Errorf("%w: extract: %v", ErrCorrupt, err)
	}
	snap := filepath.Join(extracted, StagingDir)
	if p.Driver == DriverSQLite {
		if err := checkSQLiteSnapshot(ctx, snap); err != nil {
			return nil, err
		}
	}
	return swap(ctx, app, p, m, extracted, work)
}

// fetch puts the backup's plain zip in work, decrypting it when it is
// sealed, and returns its path. Copying first also means a source inside
// the data dir survives the swap.
func fetch(ctx context.Context, app core.App, p Plane, src Source, work string) (string, error) {
	r, err := src.open(ctx, app)
	if err != nil {
		return "", err
	}
	defer r.Close()
	path := filepath.Join(work, "backup.zip")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(magic))
	n, _ := io.ReadFull(r, head)
	head = head[:n]
	in := io.MultiReader(bytes.NewReader(head), r)
	if IsEncrypted(head) {
		master, err := p.Master()
		if err != nil {
			return "", fmt.Errorf("backup: %s is encrypted and needs the master key it was made with: %w", src, err)
		}
		if err := Decrypt(f, in, master); err != nil {
			return "", err
		}
	} else if _, err := io.Copy(f, in); err != nil {
		return "", fmt.Errorf("backup: read %s: %w", src, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return path, nil
}

// swap moves the current data dir content aside (after snapshotting the
// current data plane into it), moves the backup in and restores the data
// plane; on failure it moves everything back.
func swap(ctx context.Context, app core.App, p Plane, m *Manifest, extracted, work string) (*Result, error) {
	dataDir := app.DataDir()
	replaced := filepath.Join(dataDir, replacedPrefix+time.Now().UTC().Format("20060102T150405.000000000"))
	if err := os.Mkdir(replaced, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := keepCurrent(ctx, dataDir, replaced, p); err != nil {
		os.RemoveAll(replaced)
		return nil, err
	}
	if err := closeControlPlane(app); err != nil {
		return nil, fmt.Errorf("backup: close the control plane: %w", err)
	}
	skip := append(append([]string{}, pbKeep...), restoreKeep(dataDir)...)
	if err := osutils.MoveDirContent(dataDir, replaced, skip...); err != nil {
		os.RemoveAll(replaced) // MoveDirContent put back what it had moved
		return nil, fmt.Errorf("backup: move the current data aside (nothing was changed): %w", err)
	}
	if err := osutils.MoveDirContent(extracted, dataDir, StagingDir); err != nil {
		return nil, errors.Join(fmt.Errorf("backup: move the backup in: %w", err), undo(dataDir, replaced, work, skip))
	}
	migrated, err := restorePlane(ctx, dataDir, filepath.Join(extracted, StagingDir), p, m)
	if err != nil {
		return nil, errors.Join(err, undo(dataDir, replaced, work, skip))
	}
	res := &Result{Manifest: m, Replaced: replaced, Migrated: migrated}
	if p.Driver == DriverPostgres && p.AppRole.Name != "" {
		if _, err := postgres.Migrate(ctx, p.OwnerURL, p.AppRole); err != nil {
			return res, fmt.Errorf("backup: the data is restored, but granting the runtime role failed: %w; run `nyxcore db migrate`", err)
		}
	}
	return res, nil
}

// closeControlPlane shuts app down the way PocketBase's own Restart does
// before it swaps pb_data: the terminate hooks first, then
// ResetBootstrapState. PocketBase's terminate hooks close its data-dir
// watcher (an fsnotify goroutine on pb_data/.pb_notify that reads the
// database handles through IsBootstrapped on every foreign event, and
// moving .pb_notify aside is such an event) and flush and stop its log
// writer (a ticker goroutine that reads the same handles). Resetting
// first, as restore did, cleared those handles under both goroutines: a
// data race. After the close only an event taken off the watcher's channel
// just before it could still be in flight; such events come from another
// PocketBase process changing settings or collections on this data dir,
// which a restore must not run beside (the serve lock refuses a running
// server). Running the hooks again later (PocketBase's Execute does on
// exit) is harmless: each of them tolerates a second call.
func closeControlPlane(app core.App) error {
	e := &core.TerminateEvent{}
	e.App = app
	return app.OnTerminate().Trigger(e, func(e *core.TerminateEvent) error {
		return e.App.ResetBootstrapState()
	})
}

// keepCurrent snapshots the current data plane into replaced/nyx_backup,
// so the replaced state stays restorable. A PostgreSQL database without the
// schema (a new machine) has nothing to keep.
func keepCurrent(ctx context.Context, dataDir, replaced string, p Plane) error {
	if p.Driver == DriverPostgres {
		has, err := pgHasSchema(ctx, p.OwnerURL)
		if err != nil || !has {
			return err
		}
	}
	if err := Snapshot(ctx, dataDir, filepath.Join(replaced, StagingDir), p); err != nil {
		return fmt.Errorf("backup: keep the current data plane before restoring: %w", err)
	}
	return nil
}

func restorePlane(ctx context.Context, dataDir, snap string, p Plane, m *Manifest) ([]string, error) {
	had := map[string]bool{}
	for _, v := range m.Migrations {
		had[v] = true
	}
	var versions []string
	if p.Driver == DriverSQLite {
		path := filepath.Join(dataDir, sqlite.FileName)
		if err := os.Rename(filepath.Join(snap, sqlite.FileName), path); err != nil {
			return nil, fmt.Errorf("backup: restore %s: %w", sqlite.FileName, err)
		}
		db, err := sqlite.Open(ctx, path) // applies the migrations this build has beyond the backup
		if err != nil {
			return nil, err
		}
		db.Close()
		if versions, err = sqliteVersions(ctx, path); err != nil {
			return nil, err
		}
	} else {
		if err := importPostgres(ctx, p.OwnerURL, snap, m); err != nil {
			return nil, err
		}
		versions = pgKnownVersions()
	}
	var migrated []string
	for _, v := range versions {
		if !had[v] {
			migrated = append(migrated, v)
		}
	}
	return migrated, nil
}

// undo puts the replaced content back after a failed restore.
func undo(dataDir, replaced, work string, skip []string) error {
	failed := filepath.Join(work, "failed")
	if err := osutils.MoveDirContent(dataDir, failed, skip...); err != nil {
		return fmt.Errorf("backup: undo: %w; the replaced data is in %s", err, replaced)
	}
	if err := osutils.MoveDirContent(replaced, dataDir, StagingDir); err != nil {
		return fmt.Errorf("backup: undo: %w; the replaced data is in %s", err, replaced)
	}
	os.RemoveAll(replaced)
	return nil
}

// restoreKeep lists the data dir entries a restore neither moves aside
// nor replaces.
func restoreKeep(dataDir string) []string {
	names := []string{lockName}
	entries, _ := os.ReadDir(dataDir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), replacedPrefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

package backup

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// Register makes every PocketBase backup of app cover the data plane: the
// ones made by `nyxcore backup create`, from the admin console and by its
// cron schedule. It also refuses the console's restore, which would bring
// back pb_data without the data plane. plane is called at each backup, so
// configuration read after Register is seen.
func Register(app core.App, plane func() Plane) {
	app.OnBackupCreate().BindFunc(func(e *core.BackupEvent) error {
		p := plane()
		dir := filepath.Join(e.App.DataDir(), StagingDir)
		if err := os.RemoveAll(dir); err != nil { // left over by a crash
			return fmt.Errorf("backup: %w", err)
		}
		defer os.RemoveAll(dir)
		if err := Snapshot(e.Context, e.App.DataDir(), dir, p); err != nil {
			return err
		}
		e.Exclude = append(e.Exclude, keep(e.App.DataDir())...)
		e.Exclude = removeName(e.Exclude, StagingDir)
		return e.Next()
	})
	app.OnBackupRestore().BindFunc(func(e *core.BackupEvent) error {
		return errors.New("nyxCore backups also hold the data plane: stop the server and run `nyxcore backup restore " + e.Name + "`")
	})
}

func removeName(names []string, name string) []string {
	out := names[:0]
	for _, n := range names {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

// Snapshot writes a consistent copy of the data plane and its manifest into
// dir, which must not exist.
func Snapshot(ctx context.Context, dataDir, dir string, p Plane) error {
	if err := p.validate(); err != nil {
		return err
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	m := &Manifest{Format: FormatVersion, Nyxcore: p.Version, PocketBase: pocketbase.Version, Driver: p.Driver,
		CreatedAt: time.Now().UTC(), Files: map[string]FileSum{}}
	var err error
	if p.Driver == DriverSQLite {
		err = snapshotSQLite(ctx, filepath.Join(dataDir, sqlite.FileName), dir, m)
	} else {
		err = exportPostgres(ctx, p.OwnerURL, dir, m)
	}
	if err != nil {
		return err
	}
	return writeManifest(dir, m)
}

func writeManifest(dir string, m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), b, 0o600); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	return nil
}

// snapshotSQLite copies nyx.db with VACUUM INTO: one read transaction, so
// the copy is consistent while the server keeps writing.
func snapshotSQLite(ctx context.Context, live, dir string, m *Manifest) error {
	if _, err := os.Stat(live); errors.Is(err, os.ErrNotExist) {
		db, err := sqlite.Open(ctx, live) // a data dir that never served: an empty, migrated data plane
		if err != nil {
			return err
		}
		db.Close()
	}
	db, err := sql.Open("sqlite", "file:"+live+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", sqlite.FileName, err)
	}
	defer db.Close()
	dest := filepath.Join(dir, sqlite.FileName)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("backup: snapshot %s: %w", sqlite.FileName, err)
	}
	versions, err := sqliteVersions(ctx, dest)
	if err != nil {
		return err
	}
	m.Migrations = versions
	if len(versions) > 0 {
		m.Schema = versions[len(versions)-1]
	}
	sum, err := fileSum(dest)
	if err != nil {
		return err
	}
	m.Files[sqlite.FileName] = sum
	return nil
}

// sqliteVersions reads the applied migrations of the database at path, in order.
func sqliteVersions(ctx context.Context, path string) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("backup: read schema version: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("backup: read schema version: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func fileSum(path string) (FileSum, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileSum{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileSum{}, fmt.Errorf("backup: %w", err)
	}
	return FileSum{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

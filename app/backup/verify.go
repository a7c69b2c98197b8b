package backup

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/nyxcore/nyxcore/app/store/sqlite"
	"github.com/nyxcore/nyxcore/migrations"
)

// ErrNewerSchema reports a backup whose data-plane schema this build does not know.
var ErrNewerSchema = errors.New("backup: restore into a newer schema")

// Verify reads the whole backup zip at path without extracting it: every
// entry must pass its CRC-32, the manifest must be one this build reads,
// every data-plane file must match its SHA-256, the control plane's data.db
// must be there and the data-plane schema must be one this build knows.
func Verify(path, driver string) (*Manifest, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	defer zr.Close()
	m, err := readManifest(&zr.Reader)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	hasDB := false
	for _, f := range zr.File {
		if f.Name == "data.db" {
			hasDB = true
		}
		sum, err := entrySum(f)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, f.Name, err)
		}
		rel, ok := strings.CutPrefix(f.Name, StagingDir+"/")
		if !ok || rel == "manifest.json" {
			continue
		}
		want, listed := m.Files[rel]
		if !listed {
			return nil, fmt.Errorf("%w: %s is not in the manifest", ErrCorrupt, f.Name)
		}
		if want != sum {
			return nil, fmt.Errorf("%w: %s does not match its checksum in the manifest", ErrCorrupt, f.Name)
		}
		seen[rel] = true
	}
	for rel := range m.Files {
		if !seen[rel] {
			return nil, fmt.Errorf("%w: %s/%s is missing", ErrCorrupt, StagingDir, rel)
		}
	}
	if !hasDB {
		return nil, fmt.Errorf("%w: the control plane (data.db) is missing", ErrCorrupt)
	}
	return m, checkCompatible(m, driver)
}

func readManifest(zr *zip.Reader) (*Manifest, error) {
	f, err := zr.Open(StagingDir + "/manifest.json")
	if err != nil {
		return nil, fmt.Errorf("%w: no %s/manifest.json: not a nyxCore backup (a plain PocketBase backup lacks the data plane)", ErrCorrupt, StagingDir)
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(f, 16<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: manifest: %v", ErrCorrupt, err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("backup: manifest format %d is not one this nyxcore reads (%d): use the nyxcore version that made it (%s) or newer", m.Format, FormatVersion, m.Nyxcore)
	}
	if m.Files == nil {
		return nil, fmt.Errorf("%w: manifest lists no files", ErrCorrupt)
	}
	return &m, nil
}

func entrySum(f *zip.File) (FileSum, error) {
	rc, err := f.Open()
	if err != nil {
		return FileSum{}, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc) // zip checks the CRC-32 at EOF
	if err != nil {
		return FileSum{}, err
	}
	return FileSum{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// checkCompatible refuses a backup of another driver or of a schema this
// build does not know; an older schema is fine (restore then migrate).
func checkCompatible(m *Manifest, driver string) error {
	if m.Driver != driver {
		return fmt.Errorf("backup: this backup holds a %s data plane, but this server is configured for %s: restore it with the same mode (NYX_DATABASE_URL set for postgres, unset for sqlite)", m.Driver, driver)
	}
	known := map[string]bool{}
	list := migrations.SQLite()
	if driver == DriverPostgres {
		list = migrations.Postgres()
	}
	for _, mig := range list {
		known[mig.Version] = true
	}
	for _, v := range m.Migrations {
		if !known[v] {
			return fmt.Errorf("%w: the backup's data plane has migration %s, which this nyxcore does not know (its newest is %s); upgrade nyxcore to the version that made the backup (%s) or newer, then restore",
				ErrNewerSchema, v, list[len(list)-1].Version, m.Nyxcore)
		}
	}
	return nil
}

// checkSQLiteSnapshot opens the extracted snapshot and runs SQLite's own
// integrity check, so a snapshot that SQLite cannot read never replaces nyx.db.
func checkSQLiteSnapshot(ctx context.Context, dir string) error {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqlite.FileName)+"?mode=ro")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		return fmt.Errorf("%w: the data-plane snapshot fails SQLite's integrity check (%v %s)", ErrCorrupt, err, res)
	}
	return nil
}

// Package backup makes and restores backups that cover both planes: the
// PocketBase control plane (pb_data, through PocketBase's own backup
// machinery so backups show in the admin console, are pruned by its cron
// settings and go to S3 when configured there) and the nyx data plane (a
// consistent SQLite snapshot or a PostgreSQL logical export), tied together
// by a manifest.
//
// A backup is PocketBase's zip of the data dir with one extra directory,
// nyx_backup/, holding manifest.json and the data-plane snapshot. The live
// nyx.db is left out of the zip: copied raw while serving it could be torn.
package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
)

// FormatVersion is the manifest format this build writes and reads.
const FormatVersion = 1

// StagingDir is the directory inside the data dir (and the zip) that holds
// the manifest and the data-plane snapshot.
const StagingDir = "nyx_backup"

// replacedPrefix names the directories a restore moves replaced data to.
const replacedPrefix = ".nyx_replaced_"

// Drivers of the data plane, as recorded in the manifest.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// Plane says where the data plane lives and how to reach it.
type Plane struct {
	// Driver is DriverSQLite (nyx.db in the data dir) or DriverPostgres.
	Driver string
	// OwnerURL is the PostgreSQL schema owner's connection
	// (NYX_DATABASE_MIGRATE_URL); its role must be superuser or BYPASSRLS
	// because FORCE ROW LEVEL SECURITY hides tenants' rows from the owner.
	OwnerURL string
	// AppRole is re-granted after a PostgreSQL restore recreates the tables.
	AppRole postgres.AppRole
	// Version is nyxCore's version, recorded in the manifest.
	Version string
	// Master loads the master key for encrypted backups.
	Master func() (*secret.Master, error)
}

func (p Plane) validate() error {
	switch p.Driver {
	case DriverSQLite:
		return nil
	case DriverPostgres:
		if p.OwnerURL == "" {
			return errors.New("backup: NYX_DATABASE_MIGRATE_URL is not set: backing up and restoring PostgreSQL needs the schema owner's connection (a role with BYPASSRLS, or a superuser)")
		}
		return nil
	}
	return fmt.Errorf("backup: unknown data-plane driver %q", p.Driver)
}

// Manifest describes one backup.
type Manifest struct {
	Format     int       `json:"format"`
	Nyxcore    string    `json:"nyxcore_version"`
	PocketBase string    `json:"pocketbase_version"`
	Driver     string    `json:"driver"`
	Schema     string    `json:"schema_version"`
	Migrations []string  `json:"migrations"`
	CreatedAt  time.Time `json:"created_at"`
	// Files maps each data-plane file (relative to nyx_backup/) to its checksum.
	Files map[string]FileSum `json:"files"`
	// Tables lists the PostgreSQL export, in the order it was written.
	Tables []Table `json:"tables,omitempty"`
}

// FileSum is a file's size and SHA-256 (hex).
type FileSum struct {
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Table is one exported PostgreSQL table.
type Table struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    int64    `json:"rows"`
	File    string   `json:"file"`
}

var nameRe = regexp.MustCompile(`^[a-z0-9_-]+\.(zip|nyxenc)$`)

// Name returns the backup file name for name (a default when empty),
// adding the extension that says whether it is encrypted.
func Name(name string, encrypt bool, now time.Time) (string, error) {
	ext := ".zip"
	if encrypt {
		ext = ".nyxenc"
	}
	if name == "" {
		name = "nyx_backup_" + now.UTC().Format("20060102150405")
	}
	if !strings.HasSuffix(name, ".zip") && !strings.HasSuffix(name, ".nyxenc") {
		name += ext
	}
	if !nameRe.MatchString(name) {
		return "", fmt.Errorf("backup: name %q: use lowercase letters, digits, _ and - only", name)
	}
	if strings.HasSuffix(name, ".nyxenc") != encrypt {
		if encrypt {
			return "", fmt.Errorf("backup: name %q: encrypted backups end in .nyxenc", name)
		}
		return "", fmt.Errorf("backup: name %q: .nyxenc is for encrypted backups (--encrypt)", name)
	}
	return name, nil
}

// keep lists the data dir entries a backup or restore leaves alone: the
// live data plane files, the serve lock and earlier replaced data.
func keep(dataDir string) []string {
	names := []string{sqlite.FileName, sqlite.FileName + "-wal", sqlite.FileName + "-shm", sqlite.FileName + "-journal",
		StagingDir, lockName}
	entries, _ := os.ReadDir(dataDir) // a missing dir has nothing to keep
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), replacedPrefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// pbKeep lists the entries PocketBase itself never moves on a restore.
var pbKeep = []string{core.LocalBackupsDirName, core.LocalTempDirName, core.LocalAutocertCacheDirName, "lost+found"}

func tempDir(dataDir string) (string, error) {
	dir := filepath.Join(dataDir, core.LocalTempDirName)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	return dir, nil
}

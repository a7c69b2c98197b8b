package backup

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
	"github.com/nyxcore/nyxcore/migrations"
)

// embedded is a seeded embedded-mode data dir.
type embedded struct {
	dir    string
	app    core.App
	st     *sqlite.DB
	master *secret.Master
	plane  Plane
	tenant string
}

func newEmbedded(t *testing.T) *embedded {
	t.Helper()
	e := &embedded{dir: t.TempDir()}
	var err error
	e.master, err = secret.LoadMaster(secret.MasterOptions{DataDir: e.dir, Generate: true})
	must(t, err)
	e.plane = Plane{Driver: DriverSQLite, Version: "test", Master: func() (*secret.Master, error) {
		return secret.LoadMaster(secret.MasterOptions{DataDir: e.dir})
	}}
	e.app = newApp(t, e.dir, e.plane)
	e.st, err = sqlite.Open(context.Background(), filepath.Join(e.dir, sqlite.FileName))
	must(t, err)
	t.Cleanup(func() { e.st.Close() })
	e.tenant = seed(t, e.app, e.st, e.master)
	return e
}

func openSQLite(t *testing.T, dir string) *sqlite.DB {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.FileName))
	must(t, err)
	t.Cleanup(func() { st.Close() })
	return st
}

func TestSQLiteRoundTripOnANewMachine(t *testing.T) {
	ctx := context.Background()
	e := newEmbedded(t)
	want := dump(t, e.st)
	name, err := Create(ctx, e.app, e.plane, "", false)
	must(t, err)
	list, err := List(ctx, e.app)
	if err != nil || len(list) != 1 || list[0].Name != name {
		t.Fatalf("List = %+v, %v; want the one backup %s", list, err, name)
	}

	dir2 := t.TempDir() // a new machine: nothing but the backup file
	moveBackup(t, e.dir, dir2, name)
	app2 := newApp(t, dir2, e.plane)
	plane2 := e.plane
	plane2.Master = func() (*secret.Master, error) { return secret.LoadMaster(secret.MasterOptions{DataDir: dir2}) }
	res, err := Restore(ctx, app2, plane2, name)
	must(t, err)
	if res.Manifest.Schema != migrations.SQLite()[len(migrations.SQLite())-1].Version || len(res.Migrated) != 0 {
		t.Fatalf("manifest schema %s, migrated %v", res.Manifest.Schema, res.Migrated)
	}
	st2 := openSQLite(t, dir2)
	if got := dump(t, st2); got != want {
		t.Fatalf("restored data plane differs:\n got %s\nwant %s", got, want)
	}
	master2, err := secret.LoadMaster(secret.MasterOptions{DataDir: dir2})
	must(t, err)
	if master2.ID() != e.master.ID() {
		t.Fatal("the master key did not come back with the backup")
	}
	checkRestored(t, dir2, st2, master2, e.tenant)
}

func TestSQLiteRestoreReplacesLaterChangesAndKeepsThem(t *testing.T) {
	ctx := context.Background()
	e := newEmbedded(t)
	want := dump(t, e.st)
	name, err := Create(ctx, e.app, e.plane, "before", false)
	must(t, err)
	_, err = e.st.CreateTenant(ctx, "later", "Later", "u2")
	must(t, err)
	must(t, e.st.DeleteTenant(ctx, e.tenant))
	e.st.Close()

	res, err := Restore(ctx, e.app, e.plane, name)
	must(t, err)
	if got := dump(t, openSQLite(t, e.dir)); got != want {
		t.Fatalf("restore did not bring back the state of the backup:\n got %s\nwant %s", got, want)
	}
	// the replaced state is kept, and is itself a valid snapshot
	if _, err := os.Stat(filepath.Join(res.Replaced, StagingDir, sqlite.FileName)); err != nil {
		t.Fatalf("replaced data plane not kept: %v", err)
	}
	old := filepath.Join(t.TempDir(), "old.db")
	must(t, os.Rename(filepath.Join(res.Replaced, StagingDir, sqlite.FileName), old))
	oldSt, err := sqlite.Open(ctx, old)
	must(t, err)
	defer oldSt.Close()
	if _, err := oldSt.ResolveTenant(ctx, store.FindTenant{Slug: "later"}); err != nil {
		t.Fatalf("the replaced data lost the tenant made after the backup: %v", err)
	}
	// a later backup does not swallow the kept directory
	_, err = Create(ctx, newApp(t, e.dir, e.plane), e.plane, "after", false)
	must(t, err)
	zr, err := zip.OpenReader(filepath.Join(e.dir, core.LocalBackupsDirName, "after.zip"))
	must(t, err)
	defer zr.Close()
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, replacedPrefix) || f.Name == sqlite.FileName {
			t.Fatalf("backup holds %s", f.Name)
		}
	}
}

// fingerprint lists the data dir (minus temp files) with contents, to show a failed restore changed nothing.
func fingerprint(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, core.LocalTempDirName) || strings.HasPrefix(rel, core.LocalBackupsDirName) || d.IsDir() {
			return nil
		}
		if strings.HasSuffix(rel, ".db") || strings.HasSuffix(rel, "-wal") || strings.HasSuffix(rel, "-shm") {
			b.WriteString(rel + "\n") // open databases change on their own; presence is what matters
			return nil
		}
		c, _ := os.ReadFile(p)
		b.WriteString(rel + " " + string(c) + "\n")
		return nil
	})
	return b.String()
}

func TestRestoreRefusesDamagedBackupsAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	e := newEmbedded(t)
	name, err := Create(ctx, e.app, e.plane, "good", false)
	must(t, err)
	enc, err := Create(ctx, e.app, e.plane, "sealed", true)
	must(t, err)
	good, err := os.ReadFile(filepath.Join(e.dir, core.LocalBackupsDirName, name))
	must(t, err)
	sealed, err := os.ReadFile(filepath.Join(e.dir, core.LocalBackupsDirName, enc))
	must(t, err)
	if bytes.Contains(sealed, []byte("Zebra plan")) || bytes.Contains(sealed, []byte("manifest.json")) {
		t.Fatal("the encrypted backup shows its content")
	}
	flip := func(b []byte, at int) []byte { c := bytes.Clone(b); c[at] ^= 0x40; return c }
	wrong, err := secret.LoadMaster(secret.MasterOptions{DataDir: t.TempDir(), Generate: true})
	must(t, err)
	cases := []struct {
		name, file string
		body       []byte
		plane      Plane
		want       string
	}{
		{"truncated", "cut.zip", good[:len(good)/2], e.plane, "corrupt"},
		{"flipped byte", "flip.zip", flip(good, len(good)/3), e.plane, "corrupt"},
		{"not a backup", "junk.zip", []byte("hello"), e.plane, "corrupt"},
		{"encrypted, tampered", "tamper.nyxenc", flip(sealed, len(sealed)/2), e.plane, "tampered"},
		{"encrypted, truncated", "cut.nyxenc", sealed[:len(sealed)-10], e.plane, "tampered"},
		{"encrypted, wrong key", "wrongkey.nyxenc", sealed, Plane{Driver: DriverSQLite, Master: func() (*secret.Master, error) { return wrong, nil }}, "master key"},
		{"other mode", "good.zip", good, Plane{Driver: DriverPostgres, OwnerURL: "postgres://unused"}, "sqlite data plane"},
	}
	before := dump(t, e.st)
	files := fingerprint(t, e.dir)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			must(t, os.WriteFile(filepath.Join(e.dir, core.LocalBackupsDirName, c.file), c.body, 0o600))
			_, err := Restore(ctx, e.app, c.plane, c.file)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Restore = %v, want an error about %q", err, c.want)
			}
			if got := fingerprint(t, e.dir); got != files {
				t.Fatalf("a refused restore changed the data dir:\n%s\nwas\n%s", got, files)
			}
			if got := dump(t, e.st); got != before {
				t.Fatal("a refused restore changed the data plane")
			}
		})
	}
	// and the good encrypted one restores
	if _, err := Restore(ctx, e.app, e.plane, enc); err != nil {
		t.Fatalf("encrypted backup with the right key: %v", err)
	}
}

// rewrite copies a backup changing its manifest and nyx.db snapshot.
func rewrite(t *testing.T, src, dst string, edit func(m *Manifest)) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	must(t, err)
	defer zr.Close()
	out, err := os.Create(dst)
	must(t, err)
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		body, err := io.ReadAll(rc)
		must(t, err)
		rc.Close()
		if f.Name == StagingDir+"/manifest.json" {
			m, err := readManifest(&zr.Reader)
			must(t, err)
			edit(m)
			must(t, writeManifest(t.TempDir(), m))
			body = mustJSON(t, m)
		}
		w, err := zw.Create(f.Name)
		must(t, err)
		w.Write(body)
	}
	must(t, zw.Close())
}

func TestRestoreRefusesANewerSchema(t *testing.T) {
	ctx := context.Background()
	e := newEmbedded(t)
	name, err := Create(ctx, e.app, e.plane, "", false)
	must(t, err)
	dir := filepath.Join(e.dir, core.LocalBackupsDirName)
	rewrite(t, filepath.Join(dir, name), filepath.Join(dir, "future.zip"), func(m *Manifest) {
		m.Migrations = append(m.Migrations, "9999_from_the_future")
		m.Schema = "9999_from_the_future"
	})
	before := dump(t, e.st)
	_, err = Restore(ctx, e.app, e.plane, "future.zip")
	if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "restore into a newer schema") || !strings.Contains(err.Error(), "9999_from_the_future") {
		t.Fatalf("Restore = %v, want a refusal naming the unknown migration", err)
	}
	if dump(t, e.st) != before {
		t.Fatal("a refused restore changed the data plane")
	}
}

func TestRestoreOfAnOlderSchemaMigrates(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	all := migrations.SQLite()
	old := all[:len(all)-1]
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, sqlite.FileName))
	must(t, err)
	_, err = db.Exec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`)
	must(t, err)
	for _, m := range old {
		_, err = db.Exec(m.SQL)
		must(t, err)
		_, err = db.Exec(`INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00.000000000Z')`, m.Version)
		must(t, err)
	}
	_, err = db.Exec(`INSERT INTO tenants (id, slug, name, created_at) VALUES ('t1', 'old', 'Old', '2026-01-01T00:00:00.000000000Z')`)
	must(t, err)
	db.Close()
	plane := Plane{Driver: DriverSQLite}
	app := newApp(t, dir, plane)
	name, err := Create(ctx, app, plane, "", false)
	must(t, err)
	res, err := Restore(ctx, app, plane, name)
	must(t, err)
	if res.Manifest.Schema != old[len(old)-1].Version || len(res.Migrated) != 1 || res.Migrated[0] != all[len(all)-1].Version {
		t.Fatalf("schema %s, migrated %v; want %s then %s applied", res.Manifest.Schema, res.Migrated, old[len(old)-1].Version, all[len(all)-1].Version)
	}
	st := openSQLite(t, dir)
	must(t, st.Check(ctx))
	if id, err := st.ResolveTenant(ctx, store.FindTenant{Slug: "old"}); err != nil || id != "t1" {
		t.Fatalf("old tenant after restore: %q, %v", id, err)
	}
}

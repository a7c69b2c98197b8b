package backup

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// TestLocate: a bare name means the stored backup before a file of that
// name in the working directory; a path is always a file; neither is an
// error that names both places.
func TestLocate(t *testing.T) {
	dir := t.TempDir()
	app := newApp(t, dir, Plane{Driver: DriverSQLite})
	must(t, os.MkdirAll(filepath.Join(dir, core.LocalBackupsDirName), 0o700))
	must(t, os.WriteFile(filepath.Join(dir, core.LocalBackupsDirName, "both.zip"), []byte("stored"), 0o600))
	cwd := t.TempDir()
	t.Chdir(cwd)
	for _, n := range []string{"both.zip", "local.zip"} {
		must(t, os.WriteFile(filepath.Join(cwd, n), []byte("file"), 0o600))
	}
	must(t, os.Mkdir(filepath.Join(cwd, "folder"), 0o700))

	for _, c := range []struct {
		ref     string
		want    Source
		wantErr string
	}{
		{ref: "both.zip", want: Source{Name: "both.zip"}},
		{ref: "./both.zip", want: Source{Path: "./both.zip"}},
		{ref: "local.zip", want: Source{Path: "local.zip"}},
		{ref: filepath.Join(cwd, "local.zip"), want: Source{Path: filepath.Join(cwd, "local.zip")}},
		{ref: "missing.zip", wantErr: `no backup named "missing.zip" in the backups storage`},
		{ref: "./missing.zip", wantErr: "no backup file ./missing.zip"},
		{ref: "folder", wantErr: "folder is not a backup file"},
		{ref: "", wantErr: "give a backup name"},
	} {
		t.Run(c.ref, func(t *testing.T) {
			got, err := Locate(context.Background(), app, c.ref)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("Locate(%q) = %+v, %v; want an error with %q", c.ref, got, err, c.wantErr)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("Locate(%q) = %+v, %v; want %+v", c.ref, got, err, c.want)
			}
		})
	}
}

package backup

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/nyxcore/nyxcore/app/secret"
)

// Create makes a backup of both planes named name (a default when empty)
// through PocketBase's CreateBackup, so it lands in the backups storage the
// admin console shows (local or S3). With encrypt it is sealed with the
// master key before it is stored: the plain zip is made on the local disk
// only, so with S3 configured the bucket never sees it. Register must have
// been called on app, and app must not be serving (see localOnly). It
// returns the stored name.
func Create(ctx context.Context, app core.App, p Plane, name string, encrypt bool) (string, error) {
	name, err := Name(name, encrypt, time.Now())
	if err != nil {
		return "", err
	}
	if err := p.validate(); err != nil {
		return "", err
	}
	if !encrypt {
		return name, app.CreateBackup(ctx, name)
	}
	master, err := p.Master()
	if err != nil {
		return "", fmt.Errorf("backup: --encrypt needs the master key: %w", err)
	}
	plain := "nyx_tmp_" + security.PseudorandomString(8) + ".zip"
	local, err := filesystem.NewLocal(filepath.Join(app.DataDir(), core.LocalBackupsDirName))
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer local.Close()
	err = localOnly(app, func() error { return app.CreateBackup(ctx, plain) })
	defer local.Delete(plain) //nolint:errcheck // best effort: the plain copy must not stay, but its removal failing must not hide the result
	if err != nil {
		return "", err
	}
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return "", fmt.Errorf("backup: open the backups storage: %w", err)
	}
	defer fsys.Close()
	fsys.SetContext(ctx)
	return name, sealInto(app, local, fsys, plain, name, master)
}

// localOnly runs create with the backups storage switched to the local
// disk. PocketBase zips and uploads in one step, so this is the only way
// to keep the plain zip of an encrypted backup out of S3, where a bucket
// with versioning or a crash before the delete would keep it. The switch
// is in memory only and is seen by everything using app meanwhile, which
// is why Create must not run in a serving process.
func localOnly(app core.App, create func() error) error {
	s3 := &app.Settings().Backups.S3
	was := s3.Enabled
	s3.Enabled = false
	defer func() { s3.Enabled = was }()
	return create()
}

// sealInto encrypts plain from the local backups dir into fsys as name.
func sealInto(app core.App, local, fsys *filesystem.System, plain, name string, master *secret.Master) error {
	r, err := local.GetReader(plain)
	if err != nil {
		return fmt.Errorf("backup: read %s: %w", plain, err)
	}
	defer r.Close()
	tmp, err := tempDir(app.DataDir())
	if err != nil {
		return err
	}
	sealed := filepath.Join(tmp, "nyx_seal_"+security.PseudorandomString(8))
	f, err := os.OpenFile(sealed, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(sealed)
	if err := Encrypt(f, r, master); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	file, err := filesystem.NewFileFromPath(sealed)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	file.OriginalName, file.Name = name, name
	return fsys.UploadFile(file, name)
}

// Info is one stored backup.
type Info struct {
	Name     string
	Size     int64
	Modified time.Time
}

// List returns the stored backups, newest first.
func List(ctx context.Context, app core.App) ([]Info, error) {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return nil, err
	}
	defer fsys.Close()
	fsys.SetContext(ctx)
	objs, err := fsys.List("")
	if err != nil {
		return nil, fmt.Errorf("backup: list: %w", err)
	}
	out := make([]Info, 0, len(objs))
	for _, o := range objs {
		out = append(out, Info{Name: o.Key, Size: o.Size, Modified: o.ModTime})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Modified.After(out[j].Modified) })
	return out, nil
}

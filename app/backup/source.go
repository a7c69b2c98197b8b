package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Source is the backup a restore reads: a backup in the backups storage
// (local or S3) or a file anywhere else, such as one copied from another
// machine or downloaded from S3 by hand. Exactly one field is set.
type Source struct {
	// Name is the backup's name in the backups storage.
	Name string
	// Path is the path of a backup file outside the backups storage; it is
	// read in place, never copied into the storage.
	Path string
}

// String names the source as the operator gave it.
func (s Source) String() string {
	if s.Path != "" {
		return s.Path
	}
	return s.Name
}

// Locate says which backup ref means. A ref with a path separator is a
// file path. A bare name is a stored backup when the backups storage holds
// it, else a file of that name in the working directory, so
// `restore nightly.zip` keeps meaning the stored backup; write
// ./nightly.zip for the file. A ref that is neither is an error naming both.
func Locate(ctx context.Context, app core.App, ref string) (Source, error) {
	if ref == "" {
		return Source{}, errors.New("backup: give a backup name (see `nyxcore backup list`) or the path of a backup file")
	}
	if strings.ContainsRune(ref, '/') || strings.ContainsRune(ref, filepath.Separator) {
		return fileSource(ref)
	}
	stored, storageErr := storageHas(ctx, app, ref)
	if stored {
		return Source{Name: ref}, nil
	}
	if src, err := fileSource(ref); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return src, err
	}
	if storageErr != nil { // an unreachable S3 must not read as "no such backup"
		return Source{}, fmt.Errorf("backup: cannot look for %q in the backups storage (and there is no file %s): %w", ref, ref, storageErr)
	}
	return Source{}, fmt.Errorf("backup: no backup named %q in the backups storage (see `nyxcore backup list`) and no file %s", ref, ref)
}

func fileSource(path string) (Source, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Source{}, fmt.Errorf("backup: no backup file %s: %w", path, fs.ErrNotExist)
	}
	if err != nil {
		return Source{}, fmt.Errorf("backup: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Source{}, fmt.Errorf("backup: %s is not a backup file (a .zip or .nyxenc made by `nyxcore backup create` or the admin console)", path)
	}
	return Source{Path: path}, nil
}

func storageHas(ctx context.Context, app core.App, name string) (bool, error) {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return false, fmt.Errorf("backup: open the backups storage: %w", err)
	}
	defer fsys.Close()
	fsys.SetContext(ctx)
	ok, err := fsys.Exists(name)
	if err != nil {
		return false, fmt.Errorf("backup: read the backups storage: %w", err)
	}
	return ok, nil
}

// open returns the source's bytes, as stored (maybe encrypted).
func (s Source) open(ctx context.Context, app core.App) (io.ReadCloser, error) {
	if s.Path != "" {
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		return f, nil
	}
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return nil, fmt.Errorf("backup: open the backups storage: %w", err)
	}
	fsys.SetContext(ctx)
	if ok, err := fsys.Exists(s.Name); err != nil || !ok {
		fsys.Close()
		if err != nil {
			return nil, fmt.Errorf("backup: read %s from the backups storage: %w", s.Name, err)
		}
		return nil, fmt.Errorf("backup: no backup named %q (see `nyxcore backup list`)", s.Name)
	}
	r, err := fsys.GetReader(s.Name)
	if err != nil {
		fsys.Close()
		return nil, fmt.Errorf("backup: read %s: %w", s.Name, err)
	}
	return storedReader{r, fsys}, nil
}

// storedReader closes the backups storage with the reader.
type storedReader struct {
	io.ReadCloser
	fsys *filesystem.System
}

func (r storedReader) Close() error {
	return errors.Join(r.ReadCloser.Close(), r.fsys.Close())
}

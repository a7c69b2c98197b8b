package command

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
)

// privateDataDir strips group and other permissions from the data dir and
// everything in it (directories end 0700, files 0600), for installs whose
// files were created before the process umask (privateFiles) was set:
// the control plane's database holds password hashes and tokens, nyx.db
// tenant data, master.key the key to stored secrets. Symbolic links are
// neither followed nor changed. It logs what it changed, once.
func privateDataDir(dir string, log *slog.Logger) error {
	if runtime.GOOS == "windows" { // no POSIX modes; ACLs are the operator's
		return nil
	}
	fixed := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 || (!d.IsDir() && !d.Type().IsRegular()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(path, perm&^0o077); err != nil {
				return err
			}
			fixed++
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("data dir %s: make private: %w", dir, err)
	}
	if fixed > 0 {
		log.Warn("nyx: data dir was readable by other users; removed group and other permissions", "dir", dir, "changed", fixed)
	}
	return nil
}

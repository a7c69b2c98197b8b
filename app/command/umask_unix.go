//go:build unix

package command

import "syscall"

// privateFiles makes every file and directory the process creates from now
// on private to its user (0600 files, 0700 directories): the data dir,
// PocketBase's pb_data, nyx.db and its -wal/-shm, backups, certificates.
// PocketBase creates its directories with 0777 and SQLite its files with
// 0644, both left to the umask, so the umask is the one place that covers
// them all, including files created by libraries.
func privateFiles() { syscall.Umask(0o077) }

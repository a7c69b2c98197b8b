package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// MasterKeyFile is the name of the generated master key in the data dir.
const MasterKeyFile = "master.key"

// maxKeyFile bounds what is read from a key file: a key is under 100
// bytes, and a large file is a wrong path, not a key.
const maxKeyFile = 4096

// MasterOptions says where LoadMaster finds the master key.
type MasterOptions struct {
	Value    string // NYX_MASTER_KEY: the key itself
	File     string // NYX_MASTER_KEY_FILE: a file holding the key
	DataDir  string // where embedded mode keeps MasterKeyFile
	Generate bool   // embedded mode: create MasterKeyFile if missing
}

// LoadMaster returns the master key from, in order: Value; File (trimmed);
// DataDir/master.key if it exists; or, when Generate is set, a new key
// written to DataDir/master.key with mode 0600. Setting both Value and File
// is an error, as is a master.key that group or others may access
// (ErrInsecureKeyFile); with no key and no Generate it returns ErrNoMasterKey.
//
// File's permissions are not checked: orchestrators mount secrets with
// their own modes (Kubernetes defaults to 0644 inside a private volume),
// and the operator chose that file deliberately.
//
// Concurrent first starts on one data dir, in goroutines or processes, all
// end up with the same key.
func LoadMaster(o MasterOptions) (*Master, error) {
	switch {
	case o.Value != "" && o.File != "":
		return nil, errors.New("secret: set NYX_MASTER_KEY or NYX_MASTER_KEY_FILE, not both")
	case o.Value != "":
		m, err := ParseMaster(o.Value)
		if err != nil {
			return nil, fmt.Errorf("NYX_MASTER_KEY: %w", err)
		}
		return m, nil
	case o.File != "":
		return readKeyFile(o.File, false)
	case o.DataDir == "":
		return nil, ErrNoMasterKey
	}
	path := filepath.Join(o.DataDir, MasterKeyFile)
	m, err := readKeyFile(path, true)
	if !errors.Is(err, fs.ErrNotExist) {
		return m, err
	}
	if !o.Generate {
		return nil, ErrNoMasterKey
	}
	return generate(o.DataDir, path)
}

// readKeyFile parses the key in path. When private is set it refuses a
// file that group or others may access; the check runs on the open file,
// so it covers the file actually read.
func readKeyFile(path string, private bool) (*Master, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("secret: master key file: %w", err)
	}
	defer f.Close()
	if private {
		if err := checkPrivate(f, path); err != nil {
			return nil, err
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	defer clear(b)
	if err != nil {
		return nil, fmt.Errorf("secret: read %s: %w", path, err)
	}
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("secret: %s is larger than %d bytes, not a key", path, maxKeyFile)
	}
	m, err := ParseMaster(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// checkPrivate skips the mode check on Windows, where Go reports
// permission bits that do not reflect the file's ACL.
func checkPrivate(f *os.File, path string) error {
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("secret: stat %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("secret: %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return fmt.Errorf("%w: %s has mode %04o; run: chmod 600 %s", ErrInsecureKeyFile, path, perm, path)
	}
	return nil
}

// generate creates the key file atomically: the key is written and synced
// to a private temporary file, then hard-linked into place. Linking fails
// if the name exists, so of concurrent starters exactly one wins and the
// others read its complete file; a rename would instead replace a key some
// process may already be using.
func generate(dir, path string) (*Master, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secret: create data dir: %w", err)
	}
	raw := make([]byte, KeySize)
	rand.Read(raw)
	defer clear(raw)
	text := []byte(base64.StdEncoding.EncodeToString(raw) + "\n")
	defer clear(text)
	tmp, err := writeTemp(dir, text)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		err = writeExclusive(path, text)
	}
	if errors.Is(err, fs.ErrExist) {
		return readKeyFile(path, true)
	}
	if err != nil {
		return nil, fmt.Errorf("secret: create %s: %w", path, err)
	}
	syncDir(dir)
	return newMaster(raw)
}

// writeTemp writes text to a new 0600 file in dir and syncs it.
func writeTemp(dir string, text []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".master.key-*")
	if err != nil {
		return "", fmt.Errorf("secret: create temporary key file: %w", err)
	}
	if err := writeSync(f, text); err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("secret: write temporary key file: %w", err)
	}
	return f.Name(), nil
}

// writeExclusive is the fallback for file systems without hard links. A
// concurrent starter may then read the file before it is complete and
// fail to start; it is never handed a different key.
func writeExclusive(path string, text []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := writeSync(f, text); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// writeSync writes, syncs and closes f.
func writeSync(f *os.File, text []byte) error {
	_, err := f.Write(text)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes the new directory entry durable. Errors are ignored: some
// platforms cannot sync a directory, and the key file itself is synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

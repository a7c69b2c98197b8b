package secret_test

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/nyxcore/nyxcore/app/secret"
)

func writeFile(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // WriteFile's mode is subject to umask
		t.Fatal(err)
	}
}

func TestLoadMasterPrecedence(t *testing.T) {
	keyOf := func(b byte) string { return base64.StdEncoding.EncodeToString(append(masterBytes(31), b)) }
	idOf := func(b byte) string {
		m, err := secret.ParseMaster(keyOf(b))
		if err != nil {
			t.Fatal(err)
		}
		return m.ID()
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "nyx-master-key")
	writeFile(t, keyFile, "\n  "+keyOf(2)+"\n\n", 0o644)
	withKey := filepath.Join(dir, "with")
	if err := os.Mkdir(withKey, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(withKey, secret.MasterKeyFile), keyOf(3), 0o600)
	empty := filepath.Join(dir, "empty")

	cases := []struct {
		name    string
		opts    secret.MasterOptions
		wantID  string
		wantErr error
	}{
		{"value", secret.MasterOptions{Value: keyOf(1)}, idOf(1), nil},
		{"value beats data dir", secret.MasterOptions{Value: keyOf(1), DataDir: withKey, Generate: true}, idOf(1), nil},
		{"file, trimmed, any mode", secret.MasterOptions{File: keyFile}, idOf(2), nil},
		{"file beats data dir", secret.MasterOptions{File: keyFile, DataDir: withKey}, idOf(2), nil},
		{"data dir", secret.MasterOptions{DataDir: withKey}, idOf(3), nil},
		{"data dir beats generation", secret.MasterOptions{DataDir: withKey, Generate: true}, idOf(3), nil},
		{"nothing", secret.MasterOptions{}, "", secret.ErrNoMasterKey},
		{"empty data dir, no generation", secret.MasterOptions{DataDir: empty}, "", secret.ErrNoMasterKey},
		{"generation without data dir", secret.MasterOptions{Generate: true}, "", secret.ErrNoMasterKey},
		{"missing file", secret.MasterOptions{File: filepath.Join(dir, "nope")}, "", os.ErrNotExist},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := secret.LoadMaster(c.opts)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("LoadMaster error = %v, want %v", err, c.wantErr)
			}
			if err == nil && m.ID() != c.wantID {
				t.Fatalf("loaded master %s, want %s", m.ID(), c.wantID)
			}
		})
	}
}

func TestLoadMasterRefuses(t *testing.T) {
	dir := t.TempDir()
	badFile := filepath.Join(dir, "bad")
	writeFile(t, badFile, "hunter2-hunter2-hunter2", 0o600)
	cases := []struct {
		name string
		opts secret.MasterOptions
	}{
		{"value and file", secret.MasterOptions{Value: strings.Repeat("ab", 32), File: badFile}},
		{"bad value", secret.MasterOptions{Value: "hunter2-hunter2-hunter2"}},
		{"bad file", secret.MasterOptions{File: badFile}},
		{"file is a directory", secret.MasterOptions{File: dir}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := secret.LoadMaster(c.opts)
			if err == nil {
				t.Fatalf("LoadMaster succeeded with %s", m)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error echoes the key: %v", err)
			}
		})
	}
}

func TestLoadMasterRefusesInsecureKeyFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no group/other permission bits to check")
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o644, 0o660, 0o666, 0o700} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, secret.MasterKeyFile)
			writeFile(t, path, strings.Repeat("ab", 32), mode)
			_, err := secret.LoadMaster(secret.MasterOptions{DataDir: dir, Generate: true})
			wantErr := error(nil)
			if mode&0o077 != 0 {
				wantErr = secret.ErrInsecureKeyFile
			}
			if !errors.Is(err, wantErr) {
				t.Fatalf("LoadMaster error = %v, want %v", err, wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "chmod 600") {
				t.Fatalf("error does not say how to fix it: %v", err)
			}
		})
	}
}

func TestLoadMasterGenerates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data") // not created yet, as on a first start
	opts := secret.MasterOptions{DataDir: dir, Generate: true}
	first, err := secret.LoadMaster(opts)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(dir, secret.MasterKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("master.key mode = %v, want 0600", fi.Mode().Perm())
	}
	for _, o := range []secret.MasterOptions{opts, {DataDir: dir}} {
		again, err := secret.LoadMaster(o)
		if err != nil || again.ID() != first.ID() {
			t.Fatalf("second start loaded %v (%v), want %s", again, err, first.ID())
		}
	}
	assertOnlyKeyFile(t, dir)
}

// TestLoadMasterConcurrentFirstStart races first starts on one data dir:
// every starter must end up with the one key on disk.
func TestLoadMasterConcurrentFirstStart(t *testing.T) {
	for round := range 20 {
		dir := filepath.Join(t.TempDir(), "data")
		const starters = 8
		ids := make([]string, starters)
		var wg sync.WaitGroup
		for i := range starters {
			wg.Go(func() {
				m, err := secret.LoadMaster(secret.MasterOptions{DataDir: dir, Generate: true})
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = m.ID()
			})
		}
		wg.Wait()
		onDisk, err := secret.LoadMaster(secret.MasterOptions{DataDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if id != onDisk.ID() {
				t.Fatalf("round %d: starter %d got master %q, disk has %q", round, i, id, onDisk.ID())
			}
		}
		assertOnlyKeyFile(t, dir)
	}
}

// assertOnlyKeyFile checks that no temporary key file was left behind.
func assertOnlyKeyFile(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != secret.MasterKeyFile {
		names := make([]string, len(entries))
		for i, e := range entries {
			names[i] = e.Name()
		}
		t.Fatalf("data dir holds %v, want only %s", names, secret.MasterKeyFile)
	}
}

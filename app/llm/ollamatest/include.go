package ollamatest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// headerPackages are the Debian packages with the headers llama.cpp vendors
// under vendor/, which Go module zips drop.
var headerPackages = []string{"nlohmann-json3-dev", "libstb-dev"}

const installHeaders = "apt-get install -y nlohmann-json3-dev libstb-dev"

// includeDir returns the directory for CGO_CPPFLAGS=-I: it always holds the
// miniaudio stub; nlohmann/ and stb/ come from the system packages (found on
// the compiler's default path) or, failing that, from the same packages
// fetched with apt-get download and unpacked into the cache.
func includeDir(root string) (string, error) {
	inc := filepath.Join(root, "include")
	if err := writeIfChanged(filepath.Join(inc, "miniaudio", "miniaudio.h"), miniaudioStub); err != nil {
		return "", err
	}
	if haveHeaders("/usr/include") || haveHeaders(inc) {
		return inc, nil
	}
	if err := unpackHeaderPackages(root, inc); err != nil {
		return "", err
	}
	return inc, nil
}

func haveHeaders(dir string) bool {
	for _, f := range []string{"nlohmann/json.hpp", "nlohmann/json_fwd.hpp", "stb/stb_image.h"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return false
		}
	}
	return true
}

func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	return os.Rename(tmp, path)
}

// unpackHeaderPackages is the developer fallback: apt-get download (after
// one apt-get update if the lists are missing or stale), then dpkg-deb -x,
// then move nlohmann/ and stb/ into inc.
func unpackHeaderPackages(root, inc string) error {
	fail := func(what string, err error, out []byte) error {
		return &unavailableError{
			reason: fmt.Sprintf("headers nlohmann/json.hpp and stb/stb_image.h missing and %s failed: %v\n%s", what, err, tail(out, 10)),
			fix:    installHeaders,
		}
	}
	tmp, err := os.MkdirTemp(root, "debs-")
	if err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	defer os.RemoveAll(tmp)

	download := func() ([]byte, error) {
		cmd := exec.Command("apt-get", append([]string{"download"}, headerPackages...)...)
		cmd.Dir = tmp
		return cmd.CombinedOutput()
	}
	if _, err := download(); err != nil {
		if out, err := exec.Command("apt-get", "update").CombinedOutput(); err != nil {
			return fail("apt-get update", err, out)
		}
		if out, err := download(); err != nil {
			return fail("apt-get download", err, out)
		}
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	for _, deb := range debs {
		if out, err := exec.Command("dpkg-deb", "-x", deb, filepath.Join(tmp, "root")).CombinedOutput(); err != nil {
			return fail("dpkg-deb -x", err, out)
		}
	}
	for _, d := range []string{"nlohmann", "stb"} {
		os.RemoveAll(filepath.Join(inc, d)) // a partial earlier attempt
		if err := os.Rename(filepath.Join(tmp, "root", "usr", "include", d), filepath.Join(inc, d)); err != nil {
			return fail("unpacking", err, nil)
		}
	}
	return nil
}

// Package deploy holds the deployment files (compose.yaml, nyxcore.service)
// and the tests that keep them, the Dockerfile and the README's Deploy
// section consistent with the code. There is no container engine on the
// build machines, so these checks are static, plus what can run here: the
// Dockerfile's own build command, the healthcheck against a real server,
// `systemd-analyze verify`, and the README's secrets snippet.
package deploy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// root is the repository, seen from this package's directory.
const root = ".."

// stampVersion is what the tests stamp into the binary they build.
const stampVersion = "v0.0.0-deploytest"

var (
	tmpRoot   string
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	var err error
	if tmpRoot, err = os.MkdirTemp("", "nyx-deploy-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// binary builds nyxcore once, the way the Dockerfile does: from a copy of
// the build context (.dockerignore applied) with the Dockerfile's own
// `go build` command line.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { binPath, buildErr = buildLikeDockerfile() })
	if buildErr != nil {
		t.Fatalf("building nyxcore with the Dockerfile's command: %v", buildErr)
	}
	return binPath
}

func buildLikeDockerfile() (string, error) {
	df, err := readDockerfile()
	if err != nil {
		return "", err
	}
	run, err := df.goBuild()
	if err != nil {
		return "", err
	}
	ctxDir := filepath.Join(tmpRoot, "context")
	if err := copyContext(root, ctxDir); err != nil {
		return "", err
	}
	out := filepath.Join(tmpRoot, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	// The image builds into /out/; here that is a temp dir.
	script := strings.ReplaceAll(run, "/out/", out+"/")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-ec", script)
	cmd.Dir = ctxDir
	cmd.Env = append(cleanEnv(), "VERSION="+stampVersion)
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%s: %v\n%s", script, err, b)
	}
	return filepath.Join(out, "nyxcore"), nil
}

// copyContext copies what `docker build` would send as its context.
func copyContext(src, dst string) error {
	ignored, err := dockerignore(filepath.Join(src, ".dockerignore"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if ignored(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			return copyFile(path, target)
		}
		return nil // sockets, symlinks: nothing the build needs
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// dockerignore returns a matcher for the subset of .dockerignore syntax
// this repository uses: globs, a leading "/", a leading "**/"; no "!".
func dockerignore(path string) (func(rel string) bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pats []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			return nil, fmt.Errorf(".dockerignore: exceptions (%q) are not understood by this test's matcher", line)
		}
		pats = append(pats, strings.TrimSuffix(strings.TrimPrefix(line, "/"), "/"))
	}
	return func(rel string) bool {
		for _, p := range pats {
			if ok, _ := filepath.Match(p, rel); ok {
				return true
			}
			if rest, any := strings.CutPrefix(p, "**/"); any {
				segs := strings.Split(rel, "/")
				for i := range segs {
					if ok, _ := filepath.Match(rest, strings.Join(segs[i:], "/")); ok {
						return true
					}
				}
			}
		}
		return false
	}, nil
}

// cleanEnv is the test's environment without NYX_* settings, so a
// developer's or CI's configuration does not leak into the processes.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NYX_") {
			env = append(env, kv)
		}
	}
	return env
}

// nyxcore runs the built binary in dir and returns its exit code and output.
func nyxcore(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	bin := binary(t) // before the deadline starts: the first call builds
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = cleanEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("nyxcore %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return code, stdout.String(), stderr.String()
}

// inCI reports whether a missing tool must fail rather than skip.
func inCI() bool { return strings.EqualFold(os.Getenv("CI"), "true") }

func readFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package ollamatest

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Version is the Ollama release the harness builds; keep it equal to the
// github.com/ollama/ollama requirement in go.mod.
const Version = "0.17.4"

// generatorRevision is bumped whenever writeTinyGGUF changes what it writes,
// so cached models are regenerated (tinyParams changes are caught anyway).
const generatorRevision = 1

// miniaudioStub stands in for llama.cpp's vendored miniaudio.h, which has no
// Debian package; only the decoder calls of mtmd-helper.cpp are declared
// and all of them fail, which is fine for text-only models.
//
//go:embed miniaudio_stub.h
var miniaudioStub []byte

var ldflags = "-s -w -X github.com/ollama/ollama/version.Version=" + Version

// artefacts are the built binary and generated models, by model name.
type artefacts struct {
	bin    string
	models map[string]model
}

// model is a generated GGUF file and its blob digest ("sha256:...").
type model struct {
	path, digest string
	params       modelParams
}

// unavailableError says why no server can run here and how to fix that.
type unavailableError struct{ reason, fix string }

func (e *unavailableError) Error() string {
	if e.fix == "" {
		return e.reason
	}
	return e.reason + "; fix: " + e.fix
}

var prepared struct {
	sync.Mutex
	art *artefacts
	err error
}

// prepareOnce builds or loads the artefacts once per process; a failure is
// remembered so that a missing toolchain costs one attempt, not one per test.
func prepareOnce(logf func(string, ...any)) (*artefacts, error) {
	prepared.Lock()
	defer prepared.Unlock()
	if prepared.art == nil && prepared.err == nil {
		prepared.art, prepared.err = prepare(logf)
	}
	return prepared.art, prepared.err
}

// cacheRoot is $NYX_OLLAMA_CACHE or <user cache>/nyxcore/ollama-<version>.
func cacheRoot() (string, error) {
	if dir := os.Getenv("NYX_OLLAMA_CACHE"); dir != "" {
		return filepath.Abs(dir)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", &unavailableError{"no cache directory: " + err.Error(), "set NYX_OLLAMA_CACHE"}
	}
	return filepath.Join(dir, "nyxcore", "ollama-"+Version), nil
}

// binaryKey hashes what the harness feeds into the ollama build, and
// modelsKey what it feeds into the model generator: a new model shape must
// not cost a four-minute rebuild.
func binaryKey() string {
	return shortHash(fmt.Sprintf("ollama %s\nldflags %s\n%s/%s\n", Version, ldflags, runtime.GOOS, runtime.GOARCH), string(miniaudioStub))
}

func modelsKey() string {
	return shortHash(fmt.Sprintf("generator %d %+v %+v\n", generatorRevision, tinyParams(false), tinyParams(true)))
}

func shortHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// prepare fills the cache under an exclusive lock so that concurrent test
// processes build once; every artefact is renamed into place when complete:
//
//	<root>/lock                 flock(2) target
//	<root>/include/             miniaudio stub (+ nlohmann, stb without system packages)
//	<root>/bin-<key>/ollama     the server
//	<root>/models-<key>/*.gguf  the models
//
// The include directory keeps one path across keys because CGO_CPPFLAGS is
// part of the Go build cache key for llama.cpp.
func prepare(logf func(string, ...any)) (*artefacts, error) {
	root, err := cacheRoot()
	if err != nil {
		return nil, err
	}
	binDir, modelsDir := filepath.Join(root, "bin-"+binaryKey()), filepath.Join(root, "models-"+modelsKey())
	for _, d := range []string{binDir, modelsDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, &unavailableError{"cache directory: " + err.Error(), "set NYX_OLLAMA_CACHE to a writable directory"}
		}
	}
	unlock, err := lockFile(filepath.Join(root, "lock"), func() {
		logf("ollamatest: waiting for another test process to finish building into %s", root)
	})
	if err != nil {
		return nil, fmt.Errorf("ollamatest: lock cache: %w", err)
	}
	defer unlock()

	art := &artefacts{bin: filepath.Join(binDir, "ollama"), models: map[string]model{}}
	if _, err := os.Stat(art.bin); err != nil {
		start := time.Now()
		logf("ollamatest: building ollama %s into %s (4–6 minutes cold on 2 cores, seconds with a warm Go build cache)", Version, binDir)
		if err := buildOllama(root, art.bin); err != nil {
			return nil, err
		}
		logf("ollamatest: built ollama %s in %v", Version, time.Since(start).Round(time.Second))
	}
	for name, p := range map[string]modelParams{ModelTiny: tinyParams(false), ModelTinyEOS: tinyParams(true)} {
		m, err := cachedModel(modelsDir, name, p)
		if err != nil {
			return nil, err
		}
		art.models[name] = m
	}
	return art, nil
}

// cachedModel generates the model's GGUF unless the cache has it.
func cachedModel(dir, name string, p modelParams) (model, error) {
	path := filepath.Join(dir, strings.TrimSuffix(name, ":latest")+".gguf")
	if _, err := os.Stat(path); err != nil {
		tmp := path + ".tmp"
		if err := writeTinyGGUF(tmp, p); err != nil {
			return model{}, err
		}
		if err := os.Rename(tmp, path); err != nil {
			return model{}, fmt.Errorf("ollamatest: %w", err)
		}
	}
	digest, err := fileDigest(path)
	return model{path: path, digest: digest, params: p}, err
}

func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("ollamatest: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("ollamatest: read %s: %w", path, err)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// buildOllama runs `go install ollama@version` with cgo into a temporary
// GOBIN and renames the binary to bin. It uses the default GOMODCACHE and
// GOCACHE so the compiled llama.cpp is shared with the rest of the suite.
func buildOllama(root, bin string) error {
	goTool, err := toolchain()
	if err != nil {
		return err
	}
	inc, err := includeDir(root)
	if err != nil {
		return err
	}
	gobin, err := os.MkdirTemp(filepath.Dir(bin), "gobin-")
	if err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	defer os.RemoveAll(gobin)

	cmd := exec.Command(goTool, "install", "-ldflags", ldflags, "github.com/ollama/ollama@v"+Version)
	cmd.Dir = gobin // outside any module: go install pkg@version ignores ours anyway
	cmd.Env = append(buildEnv(), "GOBIN="+gobin, "CGO_ENABLED=1", "CGO_CPPFLAGS=-I"+inc, "GOWORK=off")
	out, err := cmd.CombinedOutput()
	logPath := filepath.Join(filepath.Dir(bin), "build.log")
	os.WriteFile(logPath, out, 0o644) // best effort: only for a human
	if err != nil {
		return &unavailableError{
			reason: fmt.Sprintf("go install github.com/ollama/ollama@v%s: %v\n%s", Version, err, tail(out, 30)),
			fix:    "see " + logPath + "; a fresh machine needs gcc g++ and `apt-get install -y nlohmann-json3-dev libstb-dev`",
		}
	}
	if err := os.Rename(filepath.Join(gobin, "ollama"), bin); err != nil {
		return fmt.Errorf("ollamatest: %w", err)
	}
	return nil
}

// toolchain finds the go command and checks for the C and C++ compilers cgo
// will call.
func toolchain() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			return "", &unavailableError{"no go command in PATH", "put go on PATH"}
		}
	}
	for _, cc := range []struct{ env, def string }{{"CC", "gcc"}, {"CXX", "g++"}} {
		name := cc.def
		if f := strings.Fields(os.Getenv(cc.env)); len(f) > 0 {
			name = f[0]
		}
		if _, err := exec.LookPath(name); err != nil {
			return "", &unavailableError{"no cgo toolchain: " + name + " not found", "apt-get install -y gcc g++"}
		}
	}
	return goTool, nil
}

// buildEnv is the environment minus settings that would change or break
// `go install pkg@version` (-mod flags, a workspace, a foreign target).
func buildEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "GOBIN", "GOWORK", "GOOS", "GOARCH", "CGO_ENABLED", "CGO_CPPFLAGS":
			continue
		case "GOFLAGS":
			var keep []string
			for _, f := range strings.Fields(v) {
				if !strings.HasPrefix(f, "-mod=") {
					keep = append(keep, f)
				}
			}
			kv = "GOFLAGS=" + strings.Join(keep, " ")
		}
		env = append(env, kv)
	}
	return env
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

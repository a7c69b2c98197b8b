package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// releaseBudgetMiB is the most the release binary (linux/amd64, the
// README's flags) may weigh. It is the measured size (81.2 MiB on
// 2026-12-04) plus about 4 %, so that a dependency which quietly adds
// megabytes fails here instead of in the README's Performance table; lower
// it whenever the binary shrinks. The target is 45 MiB (see the README's
// Performance section for what stands in the way).
const releaseBudgetMiB = 85

// TestReleaseBinarySize builds the binary exactly as `make build` does and
// fails above the budget. PocketBase's text/template keeps the linker from
// dropping unused exported methods, so every type a new import makes
// reachable costs all of its methods: this is how the binary grew from 38
// to 92.5 MiB unnoticed.
func TestReleaseBinarySize(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nyxcore")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", out, ".")
	build.Dir = moduleDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if mib := float64(st.Size()) / (1 << 20); mib > releaseBudgetMiB {
		t.Fatalf("the release binary is %.1f MiB, over its budget of %d MiB: look for what grew with "+
			"`go tool nm -size -sort size` on a build without -s -w", mib, releaseBudgetMiB)
	} else {
		t.Logf("release binary: %.1f MiB (budget %d MiB)", mib, releaseBudgetMiB)
	}
}

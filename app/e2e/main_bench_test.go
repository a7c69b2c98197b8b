package e2e

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkColdStart starts the nyxcore binary (embedded mode, empty data
// dir) and bare PocketBase (the baseline) in turn, timing each from exec
// to its first 200 health answer, then reads its idle RSS after a second.
// It reports both, their ratios and both binary sizes.
//
//	make bench   (or: go test -run '^$' -bench ColdStart -benchtime 10x ./app/e2e/)
func BenchmarkColdStart(b *testing.B) {
	baseline := filepath.Join(b.TempDir(), "pbbaseline")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", baseline, "./testdata/pbbaseline")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build baseline: %v\n%s", err, out)
	}
	release := filepath.Join(b.TempDir(), "nyxcore")
	build = exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", release, ".")
	build.Dir = moduleDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build nyxcore: %v\n%s", err, out)
	}
	var nyxStart, pbStart time.Duration
	var nyxRSS, pbRSS int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, rss := coldStart(b, release, "/api/nyx/health")
		nyxStart, nyxRSS = nyxStart+d, nyxRSS+rss
		d, rss = coldStart(b, baseline, "/api/health")
		pbStart, pbRSS = pbStart+d, pbRSS+rss
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(nyxStart.Milliseconds())/n, "nyx-start-ms")
	b.ReportMetric(float64(pbStart.Milliseconds())/n, "pb-start-ms")
	b.ReportMetric(float64(nyxStart)/float64(pbStart), "start-ratio")
	b.ReportMetric(float64(nyxRSS)/n/1024, "nyx-rss-MiB")
	b.ReportMetric(float64(pbRSS)/n/1024, "pb-rss-MiB")
	b.ReportMetric(fileMiB(b, release), "nyx-bin-MiB")
	b.ReportMetric(fileMiB(b, baseline), "pb-bin-MiB")
}

// coldStart returns time-to-healthy and idle RSS in KiB.
func coldStart(b *testing.B, bin, health string) (time.Duration, int64) {
	addr := freeAddr(b)
	cmd := exec.Command(bin, "serve", "--http", addr, "--dir", b.TempDir())
	cmd.Env = cleanEnv()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	for {
		if r, err := http.Get("http://" + addr + health); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				break
			}
		}
		if time.Since(start) > 30*time.Second {
			b.Fatalf("%s never became healthy", bin)
		}
		time.Sleep(2 * time.Millisecond)
	}
	elapsed := time.Since(start)
	time.Sleep(time.Second)
	return elapsed, rssKiB(b, cmd.Process.Pid)
}

func rssKiB(b *testing.B, pid int) int64 {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kib, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return kib
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

func fileMiB(b *testing.B, path string) float64 {
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(st.Size()) / (1 << 20)
}

package e2e

import (
	"crypto/tls"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// preflight sends a browser's CORS preflight (or, with method "", a plain
// GET carrying Origin) to path and returns the answer's headers.
func preflight(t *testing.T, s *server, path, origin, method string) http.Header {
	t.Helper()
	req, _ := http.NewRequest("OPTIONS", s.base+path, nil)
	if method == "" {
		req, _ = http.NewRequest("GET", s.base+path, nil)
	} else {
		req.Header.Set("Access-Control-Request-Method", method)
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	}
	req.Header.Set("Origin", origin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.Header
}

// TestNoCORSByDefault: another site's page (a foreign Origin) gets no
// Access-Control-Allow-Origin from the API or PocketBase's own API, for
// preflights and plain requests; with NYX_CORS_ORIGINS the listed origin
// does, and others still do not.
func TestNoCORSByDefault(t *testing.T) {
	paths := []string{"/api/nyx/health", "/api/nyx/tenants", "/api/collections/users/auth-with-password"}
	s := serve(t, cleanEnv(), t.TempDir())
	for _, p := range paths {
		for _, method := range []string{"", "POST"} {
			if h := preflight(t, s, p, "https://evil.example", method); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
				t.Errorf("%s %q: CORS headers by default: %v", p, method, h)
			}
		}
	}
	s.stop(t)

	s = serve(t, cleanEnv("NYX_CORS_ORIGINS=https://app.example, http://localhost:5173"), t.TempDir())
	for _, p := range paths {
		h := preflight(t, s, p, "https://app.example", "POST")
		if h.Get("Access-Control-Allow-Origin") != "https://app.example" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(strings.ToLower(h.Get("Access-Control-Allow-Headers")), "authorization") {
			t.Errorf("%s: allowed origin's preflight: %v", p, h)
		}
		if h := preflight(t, s, p, "http://localhost:5173", ""); h.Get("Access-Control-Allow-Origin") != "http://localhost:5173" {
			t.Errorf("%s: allowed origin's GET: %v", p, h)
		}
		for _, other := range []string{"https://evil.example", "https://app.example.evil.example", "http://app.example"} {
			if h := preflight(t, s, p, other, "POST"); h.Get("Access-Control-Allow-Origin") != "" || h.Get("Access-Control-Allow-Methods") != "" {
				t.Errorf("%s: %s got CORS headers: %v", p, other, h)
			}
		}
	}
}

// TestDataFilesArePrivate starts the server on a fresh data dir, writes
// to both planes, and walks the dir: nothing may be readable (or
// listable) by group or others. An existing install with open modes is
// made private at start, and says so.
func TestDataFilesArePrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no POSIX file modes")
	}
	dir := filepath.Join(t.TempDir(), "data")
	s := serve(t, cleanEnv(), dir)
	status, tok := s.signUp(t, "files@example.com")
	if status != 200 {
		t.Fatalf("sign-up: %d", status)
	}
	if st, _ := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "files", "name": "Files"}); st != 201 {
		t.Fatalf("create tenant: %d", st)
	}
	checkPrivate(t, dir) // while running: -wal and -shm files exist
	s.stop(t)
	checkPrivate(t, dir)

	// An older install: everything world-readable.
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, _ error) error {
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		return os.Chmod(path, 0o644)
	})
	s = serve(t, cleanEnv(), dir)
	if !strings.Contains(s.out.String(), "removed group and other permissions") {
		t.Errorf("no log line about the fixed modes:\n%s", s.out)
	}
	checkPrivate(t, dir)
}

func checkPrivate(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is %s: readable beyond its owner", path, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 4 {
		t.Fatalf("walked only %d entries of %s", n, dir)
	}
}

// TestServedTLSRefusesCBC: the real server in self-signed mode refuses a
// TLS 1.2 client offering only CBC suites and serves a modern one.
func TestServedTLSRefusesCBC(t *testing.T) {
	httpsAddr := freeAddr(t)
	serve(t, cleanEnv("NYX_TLS=self-signed", "NYX_HTTPS="+httpsAddr), t.TempDir())
	cbc := []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}
	if c, err := tls.Dial("tcp", httpsAddr, &tls.Config{ServerName: "nyx.lan", InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12, CipherSuites: cbc}); err == nil {
		c.Close()
		t.Fatalf("a CBC-only TLS 1.2 client connected with %s", tls.CipherSuiteName(c.ConnectionState().CipherSuite))
	}
	c, err := tls.Dial("tcp", httpsAddr, &tls.Config{ServerName: "nyx.lan", InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatalf("a modern TLS 1.2 client: %v", err)
	}
	c.Close()
}

package e2e

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// bucket is an in-process S3-compatible server with one bucket; it
// remembers the key of every object write it was sent.
type bucket struct {
	name, url string
	backend   *s3mem.Backend
	close     func()

	mu     sync.Mutex
	writes []string
}

func newBucket(t *testing.T) *bucket {
	t.Helper()
	b := &bucket{name: "nyx-backups", backend: s3mem.New()}
	if err := b.backend.CreateBucket(b.name); err != nil {
		t.Fatal(err)
	}
	s3 := gofakes3.New(b.backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut || r.Method == http.MethodPost {
			b.mu.Lock()
			b.writes = append(b.writes, strings.TrimPrefix(r.URL.Path, "/"+b.name+"/"))
			b.mu.Unlock()
		}
		s3.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	b.url, b.close = srv.URL, srv.Close
	return b
}

// object returns the stored object's bytes; ok is false when there is none.
func (b *bucket) object(t *testing.T, key string) ([]byte, bool) {
	t.Helper()
	obj, err := b.backend.GetObject(b.name, key, nil)
	if gofakes3.HasErrorCode(err, gofakes3.ErrNoSuchKey) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Contents.Close()
	data, err := io.ReadAll(obj.Contents)
	if err != nil {
		t.Fatal(err)
	}
	return data, true
}

// keys lists the bucket's objects.
func (b *bucket) keys(t *testing.T) []string {
	t.Helper()
	list, err := b.backend.ListBucket(b.name, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, o.Key)
	}
	return keys
}

// backupToS3 configures S3 as the backups storage the way an operator
// does in the admin console (Settings > Backups > S3) on the running s.
func backupToS3(t *testing.T, s *server, b *bucket) {
	t.Helper()
	status, auth := s.api(t, "POST", "/api/collections/_superusers/auth-with-password", "",
		map[string]any{"identity": "root@example.com", "password": "a-long-password"})
	root, _ := auth["token"].(string)
	if status != 200 || root == "" {
		t.Fatalf("superuser sign-in: %d %v", status, auth)
	}
	s3 := map[string]any{"enabled": true, "bucket": b.name, "region": "us-east-1", "endpoint": b.url,
		"accessKey": "nyx-access", "secret": "nyx-secret-key", "forcePathStyle": true}
	if status, body := s.api(t, "PATCH", "/api/settings", root, map[string]any{"backups": map[string]any{"s3": s3}}); status != 200 {
		t.Fatalf("PATCH /api/settings backups.s3: %d %v", status, body)
	}
	if status, body := s.api(t, "POST", "/api/settings/test/s3", root, map[string]any{"filesystem": "backups"}); status != 204 {
		t.Fatalf("the console's S3 connection test: %d %v", status, body)
	}
}

// TestBackupsGoToS3AndComeBack: with S3 configured in the admin console,
// `backup create` (plain and --encrypt) stores the backup in the bucket
// and not on the local disk, the plaintext of an encrypted backup never
// reaches the bucket, `backup list` lists the bucket and `backup restore
// NAME` brings back from it what the user saw.
func TestBackupsGoToS3AndComeBack(t *testing.T) {
	b := newBucket(t)
	dir := t.TempDir()
	env := cleanEnv()
	if out, code := run(t, env, "superuser", "upsert", "root@example.com", "a-long-password", "--dir", dir); code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	s := serve(t, env, dir)
	tok := backupWorkspace(t, s)
	want := backupView(t, s, tok)
	backupToS3(t, s, b)
	s.stop(t)
	b.mu.Lock()
	b.writes = nil // the console's connection test wrote a probe object
	b.mu.Unlock()

	for _, c := range []struct{ args, name string }{
		{"plain", "plain.zip"},
		{"--encrypt sealed", "sealed.nyxenc"},
	} {
		out, code := run(t, env, append(append([]string{"backup", "create"}, strings.Fields(c.args)...), "--dir", dir)...)
		if code != 0 || !strings.Contains(out, "created backup "+c.name) {
			t.Fatalf("backup create %s: exit %d\n%s", c.args, code, out)
		}
		data, ok := b.object(t, c.name)
		if !ok {
			t.Fatalf("backup create %s: no %s in the bucket; it holds %v", c.args, c.name, b.keys(t))
		}
		if encrypted := !strings.HasPrefix(string(data), "PK"); encrypted != strings.HasSuffix(c.name, ".nyxenc") {
			t.Errorf("%s in the bucket: encrypted = %v", c.name, encrypted)
		}
	}
	if got := strings.Join(b.keys(t), " "); got != "plain.zip sealed.nyxenc" {
		t.Errorf("the bucket holds %q; want the two backups only", got)
	}
	if got := strings.Join(b.writes, " "); got != "plain.zip sealed.nyxenc" {
		t.Errorf("objects written to the bucket: %q; want each backup written once, the encrypted one only sealed", got)
	}
	if local, _ := os.ReadDir(filepath.Join(dir, "backups")); len(local) != 0 {
		t.Errorf("with S3 configured the backups also stay on the local disk: %v", local)
	}
	out, code := run(t, env, "backup", "list", "--dir", dir)
	if code != 0 || !strings.Contains(out, "plain.zip") || !strings.Contains(out, "sealed.nyxenc") {
		t.Fatalf("backup list: exit %d\n%s", code, out)
	}

	for _, name := range []string{"sealed.nyxenc", "plain.zip"} {
		t.Run("restore "+name, func(t *testing.T) {
			s := serve(t, env, dir)
			if status, _ := s.api(t, "DELETE", "/api/nyx/tenants/lab", tok, nil); status != 204 {
				t.Fatalf("delete tenant: %d", status)
			}
			if status, _ := s.signUp(t, "eve@example.com"); status != 200 {
				t.Fatalf("sign-up after the backup: %d", status)
			}
			s.stop(t)
			out, code := run(t, env, "backup", "restore", name, "--dir", dir)
			if code != 0 || !strings.Contains(out, "restored "+name) {
				t.Fatalf("backup restore %s: exit %d\n%s", name, code, out)
			}
			backupCheckRestored(t, env, dir, want)
		})
	}

	// With the S3 server gone the commands say so, instead of "no backup".
	b.close()
	out, code = run(t, env, "backup", "restore", "plain.zip", "--dir", dir)
	if code == 0 || !strings.Contains(out, "cannot look for \"plain.zip\" in the backups storage") || !strings.Contains(out, "connection refused") {
		t.Errorf("backup restore with S3 unreachable: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "backup", "list", "--dir", dir)
	if code == 0 || !strings.Contains(out, "connection refused") {
		t.Errorf("backup list with S3 unreachable: exit %d\n%s", code, out)
	}
}

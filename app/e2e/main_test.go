package e2e

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/llm/ollamatest"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
)

// These tests run the real nyxcore binary, as a person or an operator
// would, against real PostgreSQL and Redis.

var (
	// binary is the nyxcore binary TestMain builds from the module root.
	binary string
	// moduleDir is the module root: the directory of the go.mod above
	// this package, where the main package (main.go) lives.
	moduleDir string
)

// testMasterKey is a fixed 32-byte master key (base64) for production-mode runs.
const testMasterKey = "bnl4Y29yZS10ZXN0LW1hc3Rlci1rZXktMzItYnl0ZXM="

func TestMain(m *testing.M) {
	var err error
	if moduleDir, err = findModuleDir(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "nyxcore-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "nyxcore")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = moduleDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build nyxcore: %v\n%s", err, out)
		os.Exit(1)
	}
	code := pgtest.Run(m)
	kvtest.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

// findModuleDir walks up from the working directory (`go test` runs a
// package's tests in its own directory) to the nearest go.mod: the module
// root, whose main package is the nyxcore command.
func findModuleDir() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the e2e tests' directory: run them with go test from inside the module")
		}
		dir = parent
	}
}

// cleanEnv is the environment without any NYX_ setting of the caller.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NYX_") && !strings.HasPrefix(kv, "OLLAMA_HOST=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// run runs the binary to completion and returns its output and exit code.
func run(t *testing.T, env []string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = env
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

// server is a running `nyxcore serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
}

func freeAddr(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve starts the server and waits for its health endpoint.
func serve(t testing.TB, env []string, dir string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{base: "http://" + addr, out: &bytes.Buffer{}}
	s.cmd = exec.Command(binary, "serve", "--http", addr, "--dir", dir)
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.stop(t) })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if r, err := http.Get(s.base + "/api/nyx/health"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return s
			}
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy:\n%s", s.out)
	return nil
}

func (s *server) stop(t testing.TB) {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
		t.Errorf("server ignored SIGTERM for 15s")
	}
}

// api sends a JSON request and decodes the JSON answer.
func (s *server) api(t testing.TB, method, path, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// signUp creates an account through PocketBase's API and signs in.
func (s *server) signUp(t testing.TB, email string) (int, string) {
	t.Helper()
	status, _ := s.api(t, "POST", "/api/collections/users/records", "", map[string]any{
		"email": email, "password": "correct-horse", "passwordConfirm": "correct-horse", "name": "Test"})
	if status != 200 {
		return status, ""
	}
	_, auth := s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": email, "password": "correct-horse"})
	tok, _ := auth["token"].(string)
	return status, tok
}

func TestEmbeddedModeNeedsNothing(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	s := serve(t, env, dir)
	status, health := s.api(t, "GET", "/api/nyx/health", "", nil)
	if status != 200 || health["ok"] != true || health["mode"] != "embedded" || health["store"] != "sqlite" || health["redis"] != "embedded" {
		t.Fatalf("health = %d %v", status, health)
	}
	status, tok := s.signUp(t, "ada@example.com")
	if status != 200 || tok == "" {
		t.Fatalf("embedded sign-up: %d", status)
	}
	if status, body := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Home Lab"}); status != 201 {
		t.Fatalf("create tenant: %d %v", status, body)
	}
	for _, p := range []string{"/", "/_/"} {
		r, err := http.Get(s.base + p)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", p, r, err)
		}
		r.Body.Close()
	}
	s.stop(t)

	if _, err := os.Stat(filepath.Join(dir, "nyx.db")); err != nil {
		t.Fatalf("data plane file: %v", err)
	}
	s = serve(t, env, dir)
	if status, me := s.api(t, "GET", "/api/nyx/me", tok, nil); status != 200 || len(me["memberships"].([]any)) != 1 {
		t.Fatalf("after restart: %d %v", status, me)
	}
	s.stop(t)

	out, code := run(t, env, "doctor", "--dir", dir, "--ollama-host", "127.0.0.1:1")
	if code != 0 || !strings.Contains(out, "embedded") || !strings.Contains(out, "sqlite") || !strings.Contains(out, "ollama   warn") {
		t.Fatalf("doctor exit %d:\n%s", code, out)
	}
}

func TestVersion(t *testing.T) {
	out, code := run(t, cleanEnv(), "version")
	if code != 0 || !strings.HasPrefix(out, "nyxcore ") || !strings.Contains(out, "pocketbase v0.39.11") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestInvalidConfigurationIsNamed(t *testing.T) {
	out, code := run(t, cleanEnv("NYX_AUTH_SIGNUP=sometimes"), "serve")
	if code == 0 || !strings.Contains(out, "NYX_AUTH_SIGNUP") {
		t.Fatalf("bad setting: exit %d\n%s", code, out)
	}
}

// pgURLs returns an owner URL for a fresh database and a runtime-role URL.
func pgURLs(t *testing.T) (owner, app, role string) {
	owner = pgtest.NewDatabase(t)
	u, _ := url.Parse(owner)
	role = "nyx_app_" + strings.TrimPrefix(strings.TrimPrefix(u.Path, "/"), "nyx_test_")
	u.User = url.UserPassword(role, "s3cret pass'word")
	return owner, u.String(), role
}

func TestProductionBootstrap(t *testing.T) {
	owner, app, role := pgURLs(t)
	redis := kvtest.URL(t)
	dir := t.TempDir()
	prod := cleanEnv("NYX_DATABASE_URL="+app, "NYX_REDIS_URL="+redis, "NYX_MASTER_KEY="+testMasterKey)

	out, code := run(t, prod, "serve", "--dir", dir)
	if code == 0 || !strings.Contains(out, "nyxcore db migrate") {
		t.Fatalf("serve before migrate: exit %d\n%s", code, out)
	}

	migrate := cleanEnv("NYX_DATABASE_MIGRATE_URL="+owner, "NYX_DATABASE_APP_ROLE="+role, "NYX_DATABASE_APP_PASSWORD=s3cret pass'word")
	out, code = run(t, migrate, "db", "migrate")
	if code != 0 || !strings.Contains(out, "applied 0001_init") || !strings.Contains(out, "NOBYPASSRLS") {
		t.Fatalf("db migrate: exit %d\n%s", code, out)
	}
	out, code = run(t, migrate, "db", "migrate")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second db migrate: exit %d\n%s", code, out)
	}

	out, code = run(t, cleanEnv("NYX_DATABASE_URL="+app, "NYX_REDIS_URL="+redis), "serve", "--dir", dir)
	if code == 0 || !strings.Contains(out, "NYX_MASTER_KEY") {
		t.Fatalf("production serve without a master key: exit %d\n%s", code, out)
	}

	out, code = run(t, append(prod, "OLLAMA_HOST=127.0.0.1:1"), "doctor", "--dir", dir)
	if code != 0 || !strings.Contains(out, "production") || !strings.Contains(out, "rls      ok") || !strings.Contains(out, "redis    ok    external") {
		t.Fatalf("doctor: exit %d\n%s", code, out)
	}

	s := serve(t, prod, dir)
	status, health := s.api(t, "GET", "/api/nyx/health", "", nil)
	if status != 200 || health["mode"] != "production" || health["store"] != "postgres" || health["redis"] != "external" {
		t.Fatalf("health = %v", health)
	}
	if status, _ := s.signUp(t, "mallory@example.com"); status == 200 {
		t.Fatal("production accepted a public sign-up by default")
	}
	s.stop(t)

	s = serve(t, append(prod, "NYX_AUTH_SIGNUP=open"), dir)
	status, tok := s.signUp(t, "ada@example.com")
	if status != 200 {
		t.Fatalf("sign-up with NYX_AUTH_SIGNUP=open: %d", status)
	}
	if status, body := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "acme", "name": "Acme"}); status != 201 {
		t.Fatalf("create tenant on postgres: %d %v", status, body)
	}
	if status, me := s.api(t, "GET", "/api/nyx/me", tok, nil); status != 200 || len(me["memberships"].([]any)) != 1 {
		t.Fatalf("me on postgres: %d %v", status, me)
	}
}

func TestProductionRefusesUnsafeRoles(t *testing.T) {
	owner, _, _ := pgURLs(t)
	migrate := cleanEnv("NYX_DATABASE_MIGRATE_URL="+owner, "NYX_DATABASE_APP_ROLE=")
	if out, code := run(t, migrate, "db", "migrate"); code != 0 {
		t.Fatalf("db migrate: %d\n%s", code, out)
	}
	prod := cleanEnv("NYX_DATABASE_URL=" + owner) // a superuser: must be refused
	out, code := run(t, prod, "serve", "--dir", t.TempDir())
	if code == 0 || !strings.Contains(out, "superuser") {
		t.Fatalf("serve as superuser: exit %d\n%s", code, out)
	}
	out, code = run(t, append(prod, "OLLAMA_HOST=127.0.0.1:1"), "doctor", "--dir", t.TempDir())
	if code == 0 || !strings.Contains(out, "FAIL") || !strings.Contains(out, "superuser") {
		t.Fatalf("doctor as superuser: exit %d\n%s", code, out)
	}
	out, code = run(t, cleanEnv("NYX_DATABASE_URL="+owner), "db", "migrate")
	if code == 0 || !strings.Contains(out, "NYX_DATABASE_MIGRATE_URL") {
		t.Fatalf("db migrate without a migrate url: exit %d\n%s", code, out)
	}
}

func TestSuperuserUpsertAndTheAdminConsole(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	out, code := run(t, env, "superuser", "upsert", "root@example.com", "a-long-password", "--dir", dir)
	if code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	s := serve(t, env, dir)
	status, auth := s.api(t, "POST", "/api/collections/_superusers/auth-with-password", "",
		map[string]any{"identity": "root@example.com", "password": "a-long-password"})
	tok, _ := auth["token"].(string)
	if status != 200 || tok == "" {
		t.Fatalf("superuser sign-in: %d %v", status, auth)
	}
	// The tenant API acts for people; a superuser manages the server in /_/.
	if status, body := s.api(t, "GET", "/api/nyx/me", tok, nil); status != 403 || body["code"] != "user_required" {
		t.Fatalf("superuser on the tenant API: %d %v", status, body)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	out, code := run(t, cleanEnv(), "--help")
	if code != 0 {
		t.Fatalf("--help: exit %d\n%s", code, out)
	}
	for _, want := range []string{"serve", "db", "doctor", "superuser", "version", "--database-url", "--redis-url", "--base-domain"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not mention %s:\n%s", want, out)
		}
	}
}

// TestKeysAtRestAndRotation: a provider key is stored sealed (no clear
// text in any data file), the master key is generated 0600, and `keys
// rotate` re-encrypts it so the server can still use it afterwards.
func TestKeysAtRestAndRotation(t *testing.T) {
	dir := t.TempDir()
	// Tenant URLs reach the public internet only; the operator allows the
	// one local port the provider below points at (nothing listens there).
	env := cleanEnv("NYX_OUTBOUND_ALLOW=127.0.0.1:1")
	const key = "sk-live-NYXCLEARTEXTKEY-0042"
	s := serve(t, env, dir)
	_, tok := s.signUp(t, "ada@example.com")
	if status, _ := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"}); status != 201 {
		t.Fatalf("create tenant: %d", status)
	}
	status, p := s.api(t, "POST", "/api/nyx/tenants/lab/providers", tok, map[string]any{
		"kind": "openai", "name": "Cloud", "base_url": "http://127.0.0.1:1/v1", "api_key": key})
	if status != 201 {
		t.Fatalf("create provider: %d %v", status, p)
	}
	id := p["id"].(string)
	s.stop(t)
	if strings.Contains(s.out.String(), "NYXCLEARTEXTKEY") {
		t.Fatal("the API key appears in the server's log output")
	}

	st, err := os.Stat(filepath.Join(dir, "master.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("master.key: %v %v", st, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte("NYXCLEARTEXTKEY")) {
			t.Fatalf("the API key is in clear text in %s", filepath.Base(f))
		}
	}

	out, code := run(t, env, "keys", "rotate", "--dir", dir)
	if code != 0 || !strings.Contains(out, "added data key") || !strings.Contains(out, "re-encrypted 1 secrets") {
		t.Fatalf("keys rotate: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "keys", "rotate", "--resume", "--dir", dir)
	if code != 0 || !strings.Contains(out, "re-encrypted 0 secrets") {
		t.Fatalf("keys rotate --resume after a full run: exit %d\n%s", code, out)
	}

	s = serve(t, env, dir)
	_, auth := s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": "ada@example.com", "password": "correct-horse"})
	tok = auth["token"].(string)
	// The key still opens: the provider fails only because nothing listens.
	status, res := s.api(t, "POST", "/api/nyx/tenants/lab/providers/"+id+"/test", tok, nil)
	errBody, _ := res["error"].(map[string]any)
	if status != 200 || res["ok"] != false || errBody["code"] != "provider_unavailable" {
		t.Fatalf("provider after rotation: %d %v", status, res)
	}
}

// TestKilledServerKeepsPartialReplies kills the server in the middle of a
// streamed reply: after a restart the partial text is there, marked
// interrupted, and the discussion takes new messages.
func TestKilledServerKeepsPartialReplies(t *testing.T) {
	ollama := ollamatest.Start(t)
	dir := t.TempDir()
	env := cleanEnv("NYX_OLLAMA_HOST=" + ollama.URL())
	s := serve(t, env, dir)
	_, tok := s.signUp(t, "ada@example.com")
	s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"})
	_, p := s.api(t, "POST", "/api/nyx/tenants/lab/personas", tok, map[string]any{"name": "Talker", "provider_id": "local-ollama",
		"model": ollamatest.ModelTiny, "options": map[string]any{"max_tokens": 1000000}})
	_, d := s.api(t, "POST", "/api/nyx/tenants/lab/discussions", tok, map[string]any{"mode": "single", "persona_ids": []any{p["id"]}})
	id, _ := d["id"].(string)
	if status, body := s.api(t, "POST", "/api/nyx/tenants/lab/discussions/"+id+"/messages", tok, map[string]any{"content": "talk"}); status != 202 {
		t.Fatalf("post: %d %v", status, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, got := s.api(t, "GET", "/api/nyx/tenants/lab/discussions/"+id, tok, nil)
		ms, _ := got["messages"].([]any)
		if len(ms) == 2 && len(ms[1].(map[string]any)["content"].(string)) > 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no streamed text was stored: %v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.cmd.Process.Kill() // no shutdown hooks: a crash
	s.cmd.Wait()

	s = serve(t, env, dir)
	_, got := s.api(t, "GET", "/api/nyx/tenants/lab/discussions/"+id, tok, nil)
	ms, _ := got["messages"].([]any)
	if len(ms) != 2 {
		t.Fatalf("after restart: %v", got)
	}
	reply := ms[1].(map[string]any)
	if reply["status"] != "interrupted" || len(reply["content"].(string)) < 100 {
		t.Fatalf("the cut reply after restart = %v", reply)
	}
	if running := got["discussion"].(map[string]any)["running_turn_id"]; running != "" {
		t.Fatalf("a turn still counts as running after restart: %v", running)
	}
	if status, _ := s.api(t, "POST", "/api/nyx/tenants/lab/discussions/"+id+"/stop", tok, nil); status != 200 {
		t.Fatalf("stop after restart: %d", status)
	}
}

// TestAuditVerifyDetectsOneAlteredByte: changes are recorded (sign-ins go
// to the account's own history instead);
// `audit verify` passes, then fails naming the entry after one byte of
// the database is changed.
func TestAuditVerifyDetectsOneAlteredByte(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	s := serve(t, env, dir)
	_, tok := s.signUp(t, "ada@example.com")
	s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"})
	s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": "ada@example.com", "password": "correct-horse"})
	s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": "ada@example.com", "password": "wrong-horse"})
	s.api(t, "POST", "/api/nyx/tenants/lab/members", tok, map[string]any{"email": "bo@example.com", "role": "member"})
	_, log := s.api(t, "GET", "/api/nyx/tenants/lab/audit", tok, nil)
	got := fmt.Sprint(log["items"])
	if !strings.Contains(got, "action:invitation.create") || strings.Contains(got, "action:auth.") {
		t.Fatalf("audit log = %s; want the invitation and no sign-ins (they are the account's own history)", got)
	}
	_, activity := s.api(t, "GET", "/api/nyx/me/activity", tok, nil)
	if got := fmt.Sprint(activity["items"]); !strings.Contains(got, "action:auth.signin_failed") || !strings.Contains(got, "action:auth.signin ") {
		t.Fatalf("sign-ins not in the account's history: %s", got)
	}
	s.stop(t)

	out, code := run(t, env, "audit", "verify", "--dir", dir)
	if code != 0 || !strings.Contains(out, "entries intact") {
		t.Fatalf("verify: exit %d\n%s", code, out)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "nyx.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET ip = '127.0.0.2' WHERE seq = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, code = run(t, env, "audit", "verify", "--dir", dir)
	if code == 0 || !strings.Contains(out, "broken at entry 2") {
		t.Fatalf("verify after tampering: exit %d\n%s", code, out)
	}
}

// TestSignInIsBruteForceResistant: the eleventh attempt within a minute
// from one address is refused before the password is even checked, in
// nyxCore's error shape (PocketBase's own limiter, removed at the first
// start, answered in its own).
func TestSignInIsBruteForceResistant(t *testing.T) {
	s := serve(t, cleanEnv(), t.TempDir())
	s.signUp(t, "ada@example.com")
	limited := false
	for i := 0; i < 12; i++ {
		status, body := s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": "ada@example.com", "password": fmt.Sprintf("guess-%d", i)})
		if status == 429 {
			if body["code"] != "rate_limited" {
				t.Fatalf("429 body %v, want nyxCore's rate_limited", body)
			}
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("twelve wrong passwords in a row were all checked")
	}
}

// TestTokenBudgets: once a user's daily budget is spent the next turn is
// refused with budget_exceeded; the owner sees usage against the budget;
// an operator's override lifts it.
func TestTokenBudgets(t *testing.T) {
	ollama := ollamatest.Start(t)
	dir := t.TempDir()
	env := cleanEnv("NYX_OLLAMA_HOST="+ollama.URL(), "NYX_BUDGET_USER_DAILY_TOKENS=5")
	s := serve(t, env, dir)
	_, tok := s.signUp(t, "ada@example.com")
	s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Lab"})
	_, p := s.api(t, "POST", "/api/nyx/tenants/lab/personas", tok, map[string]any{"name": "Tiny", "provider_id": "local-ollama", "model": ollamatest.ModelTinyEOS})
	_, d := s.api(t, "POST", "/api/nyx/tenants/lab/discussions", tok, map[string]any{"mode": "single", "persona_ids": []any{p["id"]}})
	id := d["id"].(string)
	post := func() (int, map[string]any) {
		return s.api(t, "POST", "/api/nyx/tenants/lab/discussions/"+id+"/messages", tok, map[string]any{"content": "hi"})
	}
	if status, body := post(); status != 202 {
		t.Fatalf("first turn: %d %v", status, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, got := s.api(t, "GET", "/api/nyx/tenants/lab/discussions/"+id, tok, nil)
		if got["discussion"].(map[string]any)["running_turn_id"] == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("turn did not finish")
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, use := s.api(t, "GET", "/api/nyx/tenants/lab/usage", tok, nil)
	if u := use["usage"].(map[string]any); u["user_day"].(float64) < 5 || use["limits"].(map[string]any)["user_daily"] != 5.0 {
		t.Fatalf("usage = %v", use)
	}
	if status, body := post(); status != 429 || body["code"] != "budget_exceeded" {
		t.Fatalf("turn over budget: %d %v", status, body)
	}
	s.stop(t)

	out, code := run(t, env, "budget", "set", "--tenant", "lab", "--user-daily", "0", "--dir", dir)
	if code != 0 || !strings.Contains(out, "user daily unlimited") {
		t.Fatalf("budget set: exit %d\n%s", code, out)
	}
	s = serve(t, env, dir)
	if status, body := post(); status != 202 {
		t.Fatalf("after the override: %d %v", status, body)
	}
}

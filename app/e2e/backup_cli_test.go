package e2e

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests drive `nyxcore backup` through the real binary in embedded
// mode, the way an operator would: serve, stop, back up, restore, serve.

// backupWorkspace signs up ada and fills a tenant with a persona and a
// discussion; it returns her token.
func backupWorkspace(t *testing.T, s *server) string {
	t.Helper()
	status, tok := s.signUp(t, "ada@example.com")
	if status != 200 || tok == "" {
		t.Fatalf("sign-up: %d", status)
	}
	if status, body := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "lab", "name": "Home Lab"}); status != 201 {
		t.Fatalf("create tenant: %d %v", status, body)
	}
	status, p := s.api(t, "POST", "/api/nyx/tenants/lab/personas", tok, map[string]any{
		"name": "Critic", "provider_id": "local-ollama", "model": "llama3", "system_prompt": "Doubt everything."})
	if status != 201 {
		t.Fatalf("create persona: %d %v", status, p)
	}
	status, d := s.api(t, "POST", "/api/nyx/tenants/lab/discussions", tok, map[string]any{
		"title": "Zebra plan", "mode": "single", "persona_ids": []any{p["id"]}})
	if status != 201 {
		t.Fatalf("create discussion: %d %v", status, d)
	}
	return tok
}

// backupSignIn signs in with the password backupWorkspace set.
func backupSignIn(t *testing.T, s *server, email string) (int, string) {
	t.Helper()
	status, auth := s.api(t, "POST", "/api/collections/users/auth-with-password", "", map[string]any{"identity": email, "password": "correct-horse"})
	tok, _ := auth["token"].(string)
	return status, tok
}

// backupView is what ada sees of her workspace, as JSON: her account,
// tenants, members, personas and discussions with their messages.
func backupView(t *testing.T, s *server, tok string) string {
	t.Helper()
	view := map[string]any{}
	get := func(path string) map[string]any {
		status, body := s.api(t, "GET", path, tok, nil)
		if status != 200 {
			t.Fatalf("GET %s: %d %v", path, status, body)
		}
		view[path] = body
		return body
	}
	me := get("/api/nyx/me")
	for _, m := range me["memberships"].([]any) {
		base := "/api/nyx/tenants/" + m.(map[string]any)["slug"].(string)
		for _, p := range []string{"", "/members", "/personas"} {
			get(base + p)
		}
		for _, d := range get(base + "/discussions")["items"].([]any) {
			get(base + "/discussions/" + d.(map[string]any)["id"].(string))
		}
	}
	b, err := json.MarshalIndent(view, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBackupCreateListRestore: a backup made with the server stopped brings
// back exactly what the user saw, even after the tenant was deleted and
// another user signed up; damaged files are refused and change nothing.
func TestBackupCreateListRestore(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	s := serve(t, env, dir)
	tok := backupWorkspace(t, s)
	want := backupView(t, s, tok)

	out, code := run(t, env, "backup", "create", "--dir", dir)
	if code == 0 || !strings.Contains(out, "server is running") || !strings.Contains(out, "admin console") {
		t.Fatalf("backup create beside a running server: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "backup", "restore", "anything", "--dir", dir)
	if code == 0 || !strings.Contains(out, "server is running") || !strings.Contains(out, "stop it") {
		t.Fatalf("backup restore beside a running server: exit %d\n%s", code, out)
	}
	s.stop(t)

	out, code = run(t, env, "backup", "create", "before", "--dir", dir)
	if code != 0 || !strings.Contains(out, "created backup before.zip") {
		t.Fatalf("backup create: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "backup", "list", "--dir", dir)
	if code != 0 || !strings.Contains(out, "NAME") || !strings.Contains(out, "before.zip") {
		t.Fatalf("backup list: exit %d\n%s", code, out)
	}

	s = serve(t, env, dir)
	if status, _ := s.api(t, "DELETE", "/api/nyx/tenants/lab", tok, nil); status != 204 {
		t.Fatalf("delete tenant: %d", status)
	}
	if status, _ := s.api(t, "POST", "/api/nyx/tenants", tok, map[string]any{"slug": "later", "name": "Later"}); status != 201 {
		t.Fatalf("create second tenant: %d", status)
	}
	if status, _ := s.signUp(t, "eve@example.com"); status != 200 {
		t.Fatalf("second sign-up: %d", status)
	}
	if backupView(t, s, tok) == want {
		t.Fatal("the changes after the backup did not change what ada sees")
	}
	s.stop(t)

	out, code = run(t, env, "backup", "restore", "before.zip", "--dir", dir)
	if code != 0 || !strings.Contains(out, "restored before.zip") || !strings.Contains(out, "replaced data is kept in") {
		t.Fatalf("backup restore: exit %d\n%s", code, out)
	}
	backupCheckRestored(t, env, dir, want)

	damaged := backupDamaged(t, filepath.Join(dir, "backups", "before.zip"))
	for _, c := range []struct{ name, arg, says string }{
		{"truncated", damaged["truncated"], "corrupt, truncated or was tampered with"},
		{"one byte changed", damaged["flipped"], "corrupt, truncated or was tampered with"},
		{"not a backup", damaged["text"], "corrupt, truncated or was tampered with"},
		{"a plain PocketBase backup", damaged["plain"], "not a nyxCore backup"},
		{"no such name or file", "nope.zip", `no backup named "nope.zip" in the backups storage`},
		{"no such file", filepath.Join(t.TempDir(), "gone.zip"), "no backup file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := run(t, env, "backup", "restore", c.arg, "--dir", dir)
			if code == 0 || !strings.Contains(out, c.says) {
				t.Fatalf("restore %s: exit %d, want a message with %q:\n%s", c.name, code, c.says, out)
			}
		})
	}
	backupCheckRestored(t, env, dir, want)
}

// backupCheckRestored serves dir and checks ada signs in and sees want,
// and eve, who signed up after the backup, is gone.
func backupCheckRestored(t *testing.T, env []string, dir, want string) {
	t.Helper()
	s := serve(t, env, dir)
	defer s.stop(t)
	status, tok := backupSignIn(t, s, "ada@example.com")
	if status != 200 {
		t.Fatalf("ada cannot sign in after the restore: %d", status)
	}
	if got := backupView(t, s, tok); got != want {
		t.Fatalf("after the restore ada sees\n%s\nwant what she saw at backup time\n%s", got, want)
	}
	if status, _ := backupSignIn(t, s, "eve@example.com"); status == 200 {
		t.Fatal("a user who signed up after the backup can still sign in")
	}
}

// backupDamaged writes damaged copies of the backup at path and returns
// their paths by kind.
func backupDamaged(t *testing.T, path string) map[string]string {
	t.Helper()
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	flipped := append([]byte{}, good...)
	flipped[backupDataOffset(t, path, "nyx_backup/nyx.db")] ^= 0xff
	files := map[string][]byte{
		"truncated": good[:len(good)/2],
		"flipped":   flipped,
		"text":      []byte("not a backup\n"),
		"plain":     backupWithout(t, good, "nyx_backup/"),
	}
	out := map[string]string{}
	for kind, b := range files {
		out[kind] = filepath.Join(dir, kind+".zip")
		if err := os.WriteFile(out[kind], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// backupDataOffset is the offset in the zip at path of the middle of
// entry's stored bytes, so a flip there changes the data, not a header
// field the zip reader ignores.
func backupDataOffset(t *testing.T, path, entry string) int64 {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == entry {
			off, err := f.DataOffset()
			if err != nil {
				t.Fatal(err)
			}
			return off + int64(f.CompressedSize64/2)
		}
	}
	t.Fatalf("the backup has no %s", entry)
	return 0
}

// backupWithout is the zip good without the entries under prefix: what
// PocketBase alone would have made.
func backupWithout(t *testing.T, good []byte, prefix string) []byte {
	t.Helper()
	src := filepath.Join(t.TempDir(), "good.zip")
	if err := os.WriteFile(src, good, 0o600); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf strings.Builder
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, prefix) {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return []byte(buf.String())
}

// TestEncryptedBackupOnANewMachine: an encrypted backup restored from a
// file path on a fresh data dir needs the master key it was made with and
// then brings everything back.
func TestEncryptedBackupOnANewMachine(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	s := serve(t, env, dir)
	want := backupView(t, s, backupWorkspace(t, s))
	s.stop(t)

	out, code := run(t, env, "backup", "create", "--encrypt", "nightly", "--dir", dir)
	if code != 0 || !strings.Contains(out, "created backup nightly.nyxenc") {
		t.Fatalf("backup create --encrypt: exit %d\n%s", code, out)
	}
	out, code = run(t, env, "backup", "list", "--dir", dir)
	if code != 0 || !strings.Contains(out, "nightly.nyxenc") {
		t.Fatalf("backup list: exit %d\n%s", code, out)
	}
	sealed := filepath.Join(t.TempDir(), "nightly.nyxenc") // copied off the machine
	backupCopy(t, filepath.Join(dir, "backups", "nightly.nyxenc"), sealed)
	b, _ := os.ReadFile(sealed)
	if strings.HasPrefix(string(b), "PK") || strings.Contains(string(b), "nyx_backup/manifest.json") {
		t.Fatal("the encrypted backup is a readable zip")
	}
	keyCopy := filepath.Join(t.TempDir(), "master.key")
	backupCopy(t, filepath.Join(dir, "master.key"), keyCopy)

	fresh := t.TempDir()
	out, code = run(t, env, "backup", "restore", sealed, "--dir", fresh)
	if code == 0 || !strings.Contains(out, "master key") {
		t.Fatalf("restore without the master key: exit %d\n%s", code, out)
	}
	out, code = run(t, cleanEnv("NYX_MASTER_KEY_FILE="+keyCopy), "backup", "restore", sealed, "--dir", fresh)
	if code != 0 || !strings.Contains(out, "restored "+sealed) {
		t.Fatalf("restore with the master key: exit %d\n%s", code, out)
	}
	backupCheckRestored(t, env, fresh, want) // master.key came back with the backup
}

func backupCopy(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestConsoleBackupHoldsTheDataPlane: a backup a superuser makes through
// the admin console's API while the server runs holds the data-plane
// snapshot and restores with `nyxcore backup restore`.
func TestConsoleBackupHoldsTheDataPlane(t *testing.T) {
	dir := t.TempDir()
	env := cleanEnv()
	if out, code := run(t, env, "superuser", "upsert", "root@example.com", "a-long-password", "--dir", dir); code != 0 {
		t.Fatalf("superuser upsert: exit %d\n%s", code, out)
	}
	s := serve(t, env, dir)
	want := backupView(t, s, backupWorkspace(t, s))
	status, auth := s.api(t, "POST", "/api/collections/_superusers/auth-with-password", "",
		map[string]any{"identity": "root@example.com", "password": "a-long-password"})
	root, _ := auth["token"].(string)
	if status != 200 || root == "" {
		t.Fatalf("superuser sign-in: %d %v", status, auth)
	}
	if status, body := s.api(t, "POST", "/api/backups", root, map[string]any{"name": "console.zip"}); status != 204 {
		t.Fatalf("POST /api/backups: %d %v", status, body)
	}
	s.stop(t)

	zr, err := zip.OpenReader(filepath.Join(dir, "backups", "console.zip"))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	zr.Close()
	for _, n := range []string{"data.db", "nyx_backup/manifest.json", "nyx_backup/nyx.db"} {
		if !names[n] {
			t.Errorf("the console backup lacks %s: %v", n, names)
		}
	}
	if names["nyx.db"] {
		t.Error("the console backup holds the live nyx.db")
	}

	fresh := t.TempDir()
	out, code := run(t, env, "backup", "restore", filepath.Join(dir, "backups", "console.zip"), "--dir", fresh)
	if code != 0 || !strings.Contains(out, "restored ") {
		t.Fatalf("restore the console backup: exit %d\n%s", code, out)
	}
	backupCheckRestored(t, env, fresh, want)
}

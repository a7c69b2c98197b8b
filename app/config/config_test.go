package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultsAreEmbeddedMode(t *testing.T) {
	t.Setenv("OLLAMA_HOST", "")
	cfg, _, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode() != ModeEmbedded || cfg.Dir != "nyx_data" || cfg.HTTP != "127.0.0.1:8090" ||
		cfg.Database.AppRole != "nyx_app" || cfg.Database.MaxConns != 20 || !cfg.SignupOpen() ||
		cfg.Ollama.Host != "http://127.0.0.1:11434" || cfg.API.MaxBodyBytes != 1<<20 {
		t.Fatalf("defaults = %+v", cfg)
	}
}

func TestPrecedenceFlagEnvFileDefault(t *testing.T) {
	file := filepath.Join(t.TempDir(), "nyx.yaml")
	os.WriteFile(file, []byte("http: 0.0.0.0:1\nbase_domain: file.example\ndatabase:\n  max_conns: 7\n  app_role: fromfile\n"), 0o600)
	t.Setenv("NYX_CONFIG", file)
	t.Setenv("NYX_HTTP", "0.0.0.0:2")
	t.Setenv("NYX_DATABASE_APP_ROLE", "fromenv")
	cfg, _, err := Load([]string{"serve", "--http", "0.0.0.0:3", "--unknown-flag", "--dev"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, got, want string }{
		{"flag beats env and file", cfg.HTTP, "0.0.0.0:3"},
		{"env beats file", cfg.Database.AppRole, "fromenv"},
		{"file beats default", cfg.BaseDomain, "file.example"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if cfg.Database.MaxConns != 7 {
		t.Errorf("nested file key: max_conns = %d, want 7", cfg.Database.MaxConns)
	}
}

func TestProductionModeAndSecretFiles(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "db")
	os.WriteFile(secret, []byte("postgres://app@db/nyx\n"), 0o600)
	t.Setenv("NYX_DATABASE_URL_FILE", secret)
	cfg, _, err := Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Database.URL != "postgres://app@db/nyx" || cfg.Mode() != ModeProduction || cfg.SignupOpen() {
		t.Fatalf("cfg = %+v mode=%s signup=%v", cfg.Database, cfg.Mode(), cfg.SignupOpen())
	}
	t.Setenv("NYX_AUTH_SIGNUP", "open")
	cfg, _, _ = Load(nil)
	if !cfg.SignupOpen() {
		t.Fatal("explicit open sign-up ignored in production")
	}
	t.Setenv("NYX_DATABASE_URL", "postgres://other")
	if _, _, err := Load(nil); err == nil || !strings.Contains(err.Error(), "both NYX_DATABASE_URL and NYX_DATABASE_URL_FILE") {
		t.Fatalf("both value and file: err = %v", err)
	}
}

func TestInvalidSettingsAreNamed(t *testing.T) {
	cases := []struct{ env, value, want string }{
		{"NYX_HTTP", "nonsense", "NYX_HTTP"},
		{"NYX_AUTH_SIGNUP", "maybe", "NYX_AUTH_SIGNUP"},
		{"NYX_DATABASE_MAX_CONNS", "0", "NYX_DATABASE_MAX_CONNS"},
		{"NYX_API_MAX_BODY_BYTES", "10", "NYX_API_MAX_BODY_BYTES"},
		{"NYX_CONFIG", "/nonexistent/nyx.yaml", "nyx.yaml"},
		{"NYX_DIR", "", "NYX_DIR"},
		{"NYX_RATELIMIT_AUTH_IP", "10 per minute", "NYX_RATELIMIT_AUTH_IP"},
		{"NYX_RATELIMIT_AUTH_ACCOUNT", "0/15m", "NYX_RATELIMIT_AUTH_ACCOUNT"},
		{"NYX_RATELIMIT_MAIL_ACCOUNT", "3/5ms", "NYX_RATELIMIT_MAIL_ACCOUNT"},
		{"NYX_RATELIMIT_SIGNUP_IP", "x/1h", "NYX_RATELIMIT_SIGNUP_IP"},
		{"NYX_API_STORE_TIMEOUT", "1ms", "NYX_API_STORE_TIMEOUT"},
		{"NYX_REALTIME_WRITE_TIMEOUT", "0s", "NYX_REALTIME_WRITE_TIMEOUT"},
		{"NYX_REALTIME_HEARTBEAT", "10ms", "NYX_REALTIME_HEARTBEAT"},
	}
	for _, c := range cases {
		t.Run(c.env, func(t *testing.T) {
			t.Setenv(c.env, c.value)
			args := []string{}
			if c.env == "NYX_DIR" {
				args = []string{"--dir="}
			}
			_, _, err := Load(args)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want mention of %s", err, c.want)
			}
		})
	}
}

func TestEverySettingIsDocumentedInTheReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings {
		for _, name := range []string{s.Env(), "--" + s.Flag(), "`" + s.Key + "`"} {
			if !strings.Contains(string(readme), name) {
				t.Errorf("README does not mention %s", name)
			}
		}
	}
}

func TestParseRate(t *testing.T) {
	cases := []struct {
		in  string
		n   int
		per time.Duration
	}{{"10/1m", 10, time.Minute}, {" 3 / 15m ", 3, 15 * time.Minute}, {"1/1s", 1, time.Second}}
	for _, c := range cases {
		n, per, err := ParseRate(c.in)
		if err != nil || n != c.n || per != c.per {
			t.Errorf("ParseRate(%q) = %d, %v, %v; want %d, %v", c.in, n, per, err, c.n, c.per)
		}
	}
	for _, bad := range []string{"", "10", "10/", "/1m", "-1/1m", "10/0s", "10/500ms", "1.5/1m"} {
		if _, _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}

// TestOllamaFailoverToOperator: off unless the operator says so, by
// environment or flag.
func TestOllamaFailoverToOperator(t *testing.T) {
	load := func(args ...string) bool {
		t.Helper()
		cfg, _, err := Load(args)
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Ollama.FailoverToOperator
	}
	if load() {
		t.Fatal("on by default")
	}
	t.Setenv("NYX_OLLAMA_FAILOVER_TO_OPERATOR", "true")
	if !load() {
		t.Fatal("NYX_OLLAMA_FAILOVER_TO_OPERATOR=true ignored")
	}
	t.Setenv("NYX_OLLAMA_FAILOVER_TO_OPERATOR", "")
	if !load("--ollama-failover-to-operator=true") {
		t.Fatal("--ollama-failover-to-operator=true ignored")
	}
}

package deploy

import (
	"net/netip"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/secret"
)

type composeFile struct {
	Services map[string]service
	Volumes  map[string]any
	Secrets  map[string]struct{ File string }
	Networks map[string]*struct {
		IPAM struct{ Config []struct{ Subnet string } } `yaml:"ipam"`
	}
}

type service struct {
	Image string
	Build *struct {
		Context string
		Args    map[string]string
	}
	Command     []string
	Environment map[string]string
	Secrets     []string
	Volumes     []string
	Tmpfs       []string
	Ports       []string
	Networks    map[string]*struct {
		IPv4 string `yaml:"ipv4_address"`
	}
	Healthcheck *struct{ Test []string }
	DependsOn   map[string]struct{ Condition string } `yaml:"depends_on"`
	StopGrace   string                                `yaml:"stop_grace_period"`
}

func readCompose(t *testing.T) *composeFile {
	t.Helper()
	var c composeFile
	if err := yaml.Unmarshal([]byte(readFile(t, "deploy/compose.yaml")), &c); err != nil {
		t.Fatalf("deploy/compose.yaml: %v", err)
	}
	for _, name := range []string{"postgres", "redis", "ollama", "migrate", "nyxcore"} {
		if _, ok := c.Services[name]; !ok {
			t.Fatalf("deploy/compose.yaml has no %s service", name)
		}
	}
	return &c
}

// isSetting reports whether env is a setting's variable, or its _FILE
// variant for a secret setting.
func isSetting(env string) bool {
	for _, s := range config.Settings {
		if env == s.Env() || (s.Secret && env == s.Env()+"_FILE") {
			return true
		}
	}
	return false
}

func TestComposeImagesVolumesSecretsAndHealthchecks(t *testing.T) {
	c := readCompose(t)
	for name, s := range c.Services {
		switch {
		case s.Build != nil:
			if _, err := os.Stat(filepath.Join(root, "deploy", s.Build.Context, "Dockerfile")); err != nil {
				t.Errorf("%s builds from %q, which has no Dockerfile", name, s.Build.Context)
			}
		case !pinned(s.Image):
			t.Errorf("%s: image %q is not pinned to a version", name, s.Image)
		}
		if name != "migrate" && (s.Healthcheck == nil || len(s.Healthcheck.Test) < 2) {
			t.Errorf("%s has no healthcheck", name)
		}
		for _, v := range s.Volumes {
			src, _, _ := strings.Cut(v, ":")
			if !strings.ContainsAny(src, "./") {
				if _, ok := c.Volumes[src]; !ok {
					t.Errorf("%s mounts volume %s, which is not declared", name, src)
				}
			}
		}
		for _, sec := range s.Secrets {
			if _, ok := c.Secrets[sec]; !ok {
				t.Errorf("%s uses secret %s, which is not declared", name, sec)
			}
		}
		for k, v := range s.Environment {
			if after, ok := strings.CutPrefix(v, "/run/secrets/"); ok && !slices.Contains(s.Secrets, after) {
				t.Errorf("%s: %s=%s, but the service does not mount secret %s", name, k, v, after)
			}
		}
		for net := range s.Networks {
			if _, ok := c.Networks[net]; !ok {
				t.Errorf("%s joins network %s, which is not declared", name, net)
			}
		}
	}
	for name, sec := range c.Secrets {
		if !strings.HasPrefix(sec.File, "./secrets/") {
			t.Errorf("secret %s is read from %q; want a file under deploy/secrets/ (ignored by git and docker)", name, sec.File)
		}
	}
	// Ollama is the version the LLM tests run against (go.mod).
	m := regexp.MustCompile(`(?m)^\s*github.com/ollama/ollama v(\S+)`).FindStringSubmatch(readFile(t, "go.mod"))
	if m == nil || c.Services["ollama"].Image != "ollama/ollama:"+m[1] {
		t.Errorf("ollama image %q; want ollama/ollama:%v, the version in go.mod", c.Services["ollama"].Image, m)
	}
}

func TestComposeNyxSettingsAreReal(t *testing.T) {
	c := readCompose(t)
	for name, s := range c.Services {
		for k := range s.Environment {
			if strings.HasPrefix(k, "NYX_") && !isSetting(k) {
				t.Errorf("%s sets %s, which is not a nyxCore setting (or a _FILE for a non-secret one)", name, k)
			}
		}
	}
}

func TestComposeStartOrderAndRoles(t *testing.T) {
	c := readCompose(t)
	app, mig := c.Services["nyxcore"], c.Services["migrate"]
	want := map[string]string{"migrate": "service_completed_successfully", "postgres": "service_healthy", "redis": "service_healthy"}
	for dep, cond := range want {
		if got := app.DependsOn[dep].Condition; got != cond {
			t.Errorf("nyxcore depends on %s with %q; want %q", dep, got, cond)
		}
	}
	if got := mig.DependsOn["postgres"].Condition; got != "service_healthy" {
		t.Errorf("migrate depends on postgres with %q; want service_healthy", got)
	}
	if !slices.Equal(mig.Command, []string{"db", "migrate"}) {
		t.Errorf("migrate runs %q; want db migrate", mig.Command)
	}
	if app.Image != mig.Image || app.Build == nil || mig.Build == nil {
		t.Errorf("migrate (%q) and nyxcore (%q) must run the same, locally built image", mig.Image, app.Image)
	}
	for _, k := range []string{"NYX_DATABASE_URL", "NYX_DATABASE_URL_FILE"} {
		if _, ok := mig.Environment[k]; ok {
			t.Errorf("migrate sets %s: it must connect only as the owner", k)
		}
	}
	for _, k := range []string{"NYX_DATABASE_MIGRATE_URL", "NYX_DATABASE_MIGRATE_URL_FILE", "NYX_DATABASE_APP_PASSWORD", "NYX_DATABASE_APP_PASSWORD_FILE"} {
		if _, ok := app.Environment[k]; ok {
			t.Errorf("nyxcore sets %s: the server must not hold the owner's credentials", k)
		}
	}
	for _, k := range []string{"NYX_MASTER_KEY_FILE", "NYX_DATABASE_URL_FILE", "NYX_REDIS_URL"} {
		if app.Environment[k] == "" {
			t.Errorf("nyxcore does not set %s", k)
		}
	}
	if app.Environment["NYX_MASTER_KEY"] != "" {
		t.Error("nyxcore has the master key inline; it belongs in a secret file")
	}
	if d, err := time.ParseDuration(app.StopGrace); err != nil || d < 5*time.Second {
		t.Errorf("nyxcore stop_grace_period %q: running turns need about 3 s to end interrupted", app.StopGrace)
	}
}

func TestComposeHealthcheckAndPortsMatchTheImage(t *testing.T) {
	c := readCompose(t)
	app := c.Services["nyxcore"]
	df, err := readDockerfile()
	if err != nil {
		t.Fatal(err)
	}
	entry := execForm(t, df.final(), "ENTRYPOINT")[0]
	if hc := app.Healthcheck.Test; !slices.Equal(hc, []string{"CMD", entry, "healthcheck"}) {
		t.Errorf("nyxcore healthcheck %q; want [CMD %s healthcheck]", hc, entry)
	}
	code, _, errOut := nyxcore(t, t.TempDir(), "healthcheck", "--url", "http://127.0.0.1:1/")
	if code != 1 || !strings.Contains(errOut, "unhealthy") {
		t.Errorf("`nyxcore healthcheck` is not a working subcommand: exit %d, %q", code, errOut)
	}
	_, port, _ := strings.Cut(app.Environment["NYX_HTTP"], ":")
	if len(app.Ports) != 1 || !strings.HasSuffix(app.Ports[0], ":"+port) {
		t.Errorf("nyxcore publishes %q; want the NYX_HTTP port %s", app.Ports, port)
	}
	if v := app.Volumes; len(v) != 1 || !strings.HasSuffix(v[0], ":"+app.Environment["NYX_DIR"]) {
		t.Errorf("nyxcore mounts %q; want a volume at NYX_DIR=%s", v, app.Environment["NYX_DIR"])
	}
}

// TestComposeOllamaIsReachableAndNothingElsePrivate checks that a tenant can
// add http://ollama:11434 as a provider and that NYX_OUTBOUND_ALLOW lets
// through that one container, not the rest of the private networks.
func TestComposeOllamaIsReachableAndNothingElsePrivate(t *testing.T) {
	c := readCompose(t)
	app, ol := c.Services["nyxcore"], c.Services["ollama"]
	u, err := url.Parse(app.Environment["NYX_OLLAMA_HOST"])
	if err != nil || u.Hostname() != "ollama" || u.Port() != "11434" {
		t.Errorf("NYX_OLLAMA_HOST=%q; want http://ollama:11434", app.Environment["NYX_OLLAMA_HOST"])
	}
	if len(ol.Networks) != 1 {
		t.Fatalf("ollama joins %d networks; want one, so its name resolves to one address", len(ol.Networks))
	}
	for net, att := range ol.Networks {
		if app.Networks == nil || !mapHas(app.Networks, net) {
			t.Errorf("nyxcore is not on ollama's network %s", net)
		}
		addr, err := netip.ParseAddr(att.IPv4)
		if err != nil {
			t.Fatalf("ollama's ipv4_address %q: %v", att.IPv4, err)
		}
		subnet := netip.MustParsePrefix(c.Networks[net].IPAM.Config[0].Subnet)
		if !subnet.Contains(addr) {
			t.Errorf("ollama's address %s is outside its network's subnet %s", addr, subnet)
		}
		policy, err := outbound.Parse(app.Environment["NYX_OUTBOUND_ALLOW"])
		if err != nil {
			t.Fatal(err)
		}
		if err := policy.Check(addr); err != nil {
			t.Errorf("NYX_OUTBOUND_ALLOW refuses Ollama at %s: %v", addr, err)
		}
		for _, other := range []string{addr.Next().String(), "10.0.0.1", "192.168.1.1", "172.17.0.1"} {
			if policy.Check(netip.MustParseAddr(other)) == nil {
				t.Errorf("NYX_OUTBOUND_ALLOW lets tenant URLs reach %s too", other)
			}
		}
	}
}

func mapHas[V any](m map[string]V, k string) bool { _, ok := m[k]; return ok }

// TestComposeSecretsSnippetMakesAWorkingConfiguration runs the README's
// snippet that creates deploy/secrets/, then loads each nyxCore service's
// environment through the real config loader: the server must come up in
// production mode as the runtime role that migrate provisions, and migrate
// must connect as the PostgreSQL owner.
func TestComposeSecretsSnippetMakesAWorkingConfiguration(t *testing.T) {
	c := readCompose(t)
	dir := t.TempDir()
	cmd := exec.Command("sh", "-e")
	cmd.Stdin = strings.NewReader(secretsSnippet(t))
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the README's secrets snippet failed: %v\n%s", err, out)
	}
	secretPath := map[string]string{}
	for name, sec := range c.Secrets {
		p := filepath.Join(dir, "deploy", filepath.FromSlash(sec.File))
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("the snippet does not create %s (secret %s): %v", sec.File, name, err)
			continue
		}
		if st.Mode().Perm()&0o004 == 0 {
			t.Errorf("%s is %v: the non-root container user cannot read it", sec.File, st.Mode().Perm())
		}
		secretPath["/run/secrets/"+name] = p
	}
	if st, err := os.Stat(filepath.Join(dir, "deploy", "secrets")); err == nil && st.Mode().Perm()&0o077 != 0 {
		t.Errorf("deploy/secrets is %v; want it closed to other users (0700)", st.Mode().Perm())
	}
	if t.Failed() {
		return
	}

	pg := c.Services["postgres"].Environment
	app := loadConfig(t, c.Services["nyxcore"].Environment, secretPath)
	mig := loadConfig(t, c.Services["migrate"].Environment, secretPath)
	if app.Mode() != config.ModeProduction || mig.Mode() != config.ModeEmbedded {
		t.Errorf("modes: nyxcore %s, migrate %s; want production and no runtime URL for migrate", app.Mode(), mig.Mode())
	}
	runtime, owner := mustURL(t, app.Database.URL), mustURL(t, mig.Database.MigrateURL)
	pw, _ := runtime.User.Password()
	if runtime.User.Username() != mig.Database.AppRole || pw != mig.Database.AppPassword {
		t.Errorf("nyxcore connects as %s, but migrate provisions %s (or another password)", runtime.User.Username(), mig.Database.AppRole)
	}
	ownerPW, _ := owner.User.Password()
	if owner.User.Username() != pg["POSTGRES_USER"] || ownerPW != readSecret(t, secretPath["/run/secrets/postgres_password"]) {
		t.Errorf("migrate connects as %s; want the owner POSTGRES_USER=%s with its password", owner.User.Username(), pg["POSTGRES_USER"])
	}
	if runtime.User.Username() == owner.User.Username() {
		t.Error("the server and migrations use the same role; the server must not own the tables")
	}
	for _, u := range []*url.URL{runtime, owner} {
		if u.Hostname() != "postgres" || strings.Trim(u.Path, "/") != pg["POSTGRES_DB"] {
			t.Errorf("%s: want host postgres and database %s", u.Redacted(), pg["POSTGRES_DB"])
		}
	}
	if _, err := secret.ParseMaster(app.MasterKey); err != nil {
		t.Errorf("the snippet's master key is not usable: %v", err)
	}
}

// loadConfig loads env (with /run/secrets paths mapped to files) through
// config.Load, as the binary would inside the container.
func loadConfig(t *testing.T, env map[string]string, secretPath map[string]string) *config.Config {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "NYX_") {
			t.Setenv(k, "")
		}
	}
	for k, v := range env {
		if p, ok := secretPath[v]; ok {
			v = p
		}
		t.Setenv(k, v)
	}
	cfg, _, err := config.Load(nil)
	if err != nil {
		t.Fatalf("config.Load with %v: %v", env, err)
	}
	for k := range env {
		t.Setenv(k, "")
	}
	return cfg
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		t.Fatalf("database URL %q: %v", s, err)
	}
	return u
}

func readSecret(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimRight(string(b), "\r\n")
}

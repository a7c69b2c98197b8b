package config

import (
	"os"
	"strings"
)

// Setting describes one key: its config-file key, and through it its flag
// (--database-url) and environment variable (NYX_DATABASE_URL).
type Setting struct {
	Key    string
	Help   string
	Secret bool // also read from NYX_<KEY>_FILE
	def    func() string
}

// Flag is the command-line flag name.
func (s Setting) Flag() string { return strings.NewReplacer(".", "-", "_", "-").Replace(s.Key) }

// Env is the environment variable name.
func (s Setting) Env() string {
	return "NYX_" + strings.ToUpper(strings.NewReplacer(".", "_").Replace(s.Key))
}

// Default is the value used when nothing else sets the key.
func (s Setting) Default() string {
	if s.def == nil {
		return ""
	}
	return s.def()
}

func constant(v string) func() string { return func() string { return v } }

// Settings is every setting nyxCore reads, in the order the README lists them.
var Settings = []Setting{
	{Key: "config", Help: "config file (YAML, TOML or JSON) with any of these keys"},
	{Key: "dir", Help: "data directory (PocketBase pb_data and the embedded nyx.db)", def: constant("nyx_data")},
	{Key: "http", Help: "HTTP listen address", def: constant("127.0.0.1:8090")},
	{Key: "base_domain", Help: "domain whose subdomains are tenants (acme.<base_domain>)"},
	{Key: "database.url", Help: "PostgreSQL URL of the runtime role; setting it selects production mode", Secret: true},
	{Key: "database.migrate_url", Help: "PostgreSQL URL of the owner role, used by `db migrate`", Secret: true},
	{Key: "database.app_role", Help: "runtime role `db migrate` provisions (empty: skip)", def: constant("nyx_app")},
	{Key: "database.app_password", Help: "password `db migrate` sets for the runtime role", Secret: true},
	{Key: "database.max_conns", Help: "PostgreSQL pool size", def: constant("20")},
	{Key: "redis.url", Help: "Redis URL for limits (empty: in-process, no port)", Secret: true},
	{Key: "auth.signup", Help: "password sign-up: auto (open when embedded, closed in production), open, closed", def: constant(SignupAuto)},
	{Key: "master_key", Help: "master key (32 bytes, base64 or hex) that wraps the keys encrypting stored secrets; embedded mode generates one in the data dir", Secret: true},
	{Key: "ollama.host", Help: "default Ollama server", def: ollamaDefault},
	{Key: "ollama.num_ctx_max", Help: "largest context window (num_ctx) requested from Ollama", def: constant("8192")},
	{Key: "budget.tenant_daily_tokens", Help: "LLM tokens a tenant may use per day (0: unlimited; `nyxcore budget set` overrides per tenant)", def: constant("0")},
	{Key: "budget.tenant_monthly_tokens", Help: "LLM tokens a tenant may use per month (0: unlimited)", def: constant("0")},
	{Key: "budget.user_daily_tokens", Help: "LLM tokens one user may use per day in a tenant (0: unlimited)", def: constant("0")},
	{Key: "budget.user_monthly_tokens", Help: "LLM tokens one user may use per month in a tenant (0: unlimited)", def: constant("0")},
	{Key: "ratelimit.enabled", Help: "limit API requests per IP, user and tenant (turn off only behind a gateway that limits)", def: constant("true")},
	{Key: "ratelimit.policy", Help: "when Redis is unreachable: open (allow and log an alarm) or closed (refuse)", def: constant("open")},
	{Key: "outbound.allow", Help: "addresses tenant-configured URLs may reach beyond the public internet: loopback, private and/or CIDR prefixes", def: constant("loopback")},
	{Key: "api.max_body_bytes", Help: "largest accepted JSON request body", def: constant("1048576")},
}

func ollamaDefault() string {
	if h := os.Getenv("OLLAMA_HOST"); h != "" {
		return h
	}
	return "http://127.0.0.1:11434"
}

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
	{Key: "http", Help: "HTTP listen address (empty: 127.0.0.1:8090; :80 with tls=acme, answering ACME challenges and redirecting to HTTPS; none with tls=self-signed)"},
	{Key: "https", Help: "HTTPS listen address (empty: :443 with tls=acme, :8443 with tls=self-signed)"},
	{Key: "domain", Help: "public host name of this server; turns on HTTPS with ACME certificates and, when base_domain is empty, gives tenants <slug>.<domain>"},
	{Key: "tls", Help: "TLS mode: auto (acme with a domain, else off), acme, self-signed (a local CA in the data dir) or off", def: constant(TLSAuto)},
	{Key: "acme.email", Help: "contact email given to the ACME CA (expiry and incident notices)"},
	{Key: "acme.ca", Help: "ACME directory URL (Let's Encrypt staging, ZeroSSL or a private CA)", def: constant(LetsEncryptProduction)},
	{Key: "acme.ca_roots", Help: "PEM file of extra root certificates to trust when talking to a private ACME CA"},
	{Key: "base_domain", Help: "domain whose subdomains are tenants (acme.<base_domain>); defaults to domain"},
	{Key: "dns.resolver", Help: "DNS server (host:port) used to check custom-domain TXT records and resolve them for the HTTP check (empty: the system resolver)"},
	{Key: "proxy.trusted_headers", Help: "comma-separated client-IP headers to trust from a reverse proxy (e.g. X-Forwarded-For); applied to PocketBase's settings at start, empty leaves them alone"},
	{Key: "proxy.use_leftmost_ip", Help: "take the leftmost (client) address of X-Forwarded-For instead of the rightmost (nearest proxy)", def: constant("false")},
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
	{Key: "ollama.pool", Help: "more Ollama servers the operator runs for every tenant (comma-separated host:port or URLs): tenants may point providers at them, only superusers pull or delete their models"},
	{Key: "ollama.failover_to_operator", Help: "when a tenant's own Ollama host cannot be reached, let its personas' turns fail over to the operator's Ollama servers (ollama.host, ollama.pool) instead of failing with provider_unavailable", def: constant("false")},
	{Key: "ollama.tenant_manage", Help: "let tenant admins pull and delete models on the operator's Ollama servers (ollama.host, ollama.pool)", def: constant("false")},
	{Key: "llm.first_token_timeout", Help: "longest a model call may wait for its first token (a cold model load included) before it ends provider_stalled (Go duration; 0: no limit)", def: constant("5m")},
	{Key: "llm.idle_timeout", Help: "longest a streaming model call may go without a new chunk before it ends provider_stalled (Go duration; 0: no limit)", def: constant("60s")},
	{Key: "budget.tenant_daily_tokens", Help: "LLM tokens a tenant may use per day (0: unlimited; `nyxcore budget set` overrides per tenant)", def: constant("0")},
	{Key: "budget.tenant_monthly_tokens", Help: "LLM tokens a tenant may use per month (0: unlimited)", def: constant("0")},
	{Key: "budget.user_daily_tokens", Help: "LLM tokens one user may use per day in a tenant (0: unlimited)", def: constant("0")},
	{Key: "budget.user_monthly_tokens", Help: "LLM tokens one user may use per month in a tenant (0: unlimited)", def: constant("0")},
	{Key: "ratelimit.enabled", Help: "limit API requests per IP, user and tenant (turn off only behind a gateway that limits)", def: constant("true")},
	{Key: "health.require_models", Help: "readiness (/api/nyx/health/ready) fails while none of the operator's Ollama servers answers; turn off when tenants use only cloud providers", def: constant("true")},
	{Key: "ratelimit.timeout", Help: "longest a limit decision may wait on Redis before it counts as an outage and ratelimit.policy decides (Go duration)", def: constant("250ms")},
	{Key: "ratelimit.policy", Help: "when Redis is unreachable: open (allow and log an alarm) or closed (refuse)", def: constant("open")},
	{Key: "ratelimit.auth_ip", Help: "sign-in attempts (password, OTP, OAuth2, reset, verification and email-change confirmations) per client IP, as N/duration: N at once, refilled evenly over the duration", def: constant("10/1m")},
	{Key: "ratelimit.auth_account", Help: "sign-in attempts per client IP and account (email, user name or OTP id), N/duration", def: constant("10/15m")},
	{Key: "ratelimit.mail_account", Help: "OTP, password-reset, verification and email-change requests per client IP and address, N/duration (per IP they also follow ratelimit.auth_ip)", def: constant("3/15m")},
	{Key: "ratelimit.signup_ip", Help: "sign-ups (new accounts) per client IP, N/duration", def: constant("10/1h")},
	{Key: "outbound.allow", Help: "addresses tenant-configured URLs may reach beyond the public internet: loopback, private, CIDR prefixes and/or exact host:port endpoints (empty: public internet only; the operator's Ollama servers are always reachable at their configured address)"},
	{Key: "api.max_body_bytes", Help: "largest accepted JSON request body", def: constant("1048576")},
	{Key: "api.store_timeout", Help: "longest one data-plane call of an API request may take before the request answers 503 store_timeout (Go duration); turns and streams running on their own are not bound by it", def: constant("10s")},
	{Key: "realtime.write_timeout", Help: "longest one write of an event stream (SSE) may block before the stream is cut off as a client that stopped reading (Go duration)", def: constant("10s")},
	{Key: "realtime.heartbeat", Help: "how often a quiet event stream gets a comment line that keeps proxies and browsers from closing it (Go duration)", def: constant("15s")},
	{Key: "audit.checkpoint_interval", Help: "how often signed audit checkpoints of the chains that moved are written (Go duration; also at start and on shutdown)", def: constant("5m")},
	{Key: "audit.checkpoint_file", Help: "file that signed audit checkpoints are appended to (JSON lines, 0600; empty: server log only); keep it off the database host"},
	{Key: "audit.checkpoint_webhook", Help: "operator URL each pass's signed audit checkpoints are POSTed to as JSON (empty: none)"},
	{Key: "cors.origins", Help: "comma-separated exact origins (https://app.example.com) allowed to call the API from other sites (empty: no CORS, the web app is same-origin)"},
	{Key: "tenant.slug_hold", Help: "how long a slug freed by a rename stays reserved for its tenant, old links still reaching it (0: not held)", def: constant("720h")},
}

func ollamaDefault() string {
	if h := os.Getenv("OLLAMA_HOST"); h != "" {
		return h
	}
	return "http://127.0.0.1:11434"
}

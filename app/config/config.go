// Package config turns flags, NYX_* environment variables and an optional
// config file into one validated Config. It is the only package that
// touches viper; everything else receives typed values.
//
// Precedence, highest first: flag, environment variable (or NYX_..._FILE for
// secrets), config file, default. Every key has a default so viper sees
// environment-only keys when unmarshalling.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// Modes a server runs in.
const (
	ModeEmbedded   = "embedded"
	ModeProduction = "production"
)

// Sign-up policies for the users collection.
const (
	SignupAuto   = "auto"
	SignupOpen   = "open"
	SignupClosed = "closed"
)

// TLS modes.
const (
	TLSAuto       = "auto"
	TLSACME       = "acme"
	TLSSelfSigned = "self-signed"
	TLSOff        = "off"
)

// LetsEncryptProduction is the default ACME directory.
const LetsEncryptProduction = "https://acme-v02.api.letsencrypt.org/directory"

// Config is every setting of a nyxCore process.
type Config struct {
	File       string    `mapstructure:"config"`
	MasterKey  string    `mapstructure:"master_key"`
	Dir        string    `mapstructure:"dir"`
	HTTP       string    `mapstructure:"http"`
	HTTPS      string    `mapstructure:"https"`
	Domain     string    `mapstructure:"domain"`
	TLS        string    `mapstructure:"tls"`
	ACME       ACME      `mapstructure:"acme"`
	BaseDomain string    `mapstructure:"base_domain"`
	DNS        DNS       `mapstructure:"dns"`
	Proxy      Proxy     `mapstructure:"proxy"`
	Database   Database  `mapstructure:"database"`
	Redis      Redis     `mapstructure:"redis"`
	Auth       Auth      `mapstructure:"auth"`
	Ollama     Ollama    `mapstructure:"ollama"`
	API        API       `mapstructure:"api"`
	Outbound   Outbound  `mapstructure:"outbound"`
	RateLimit  RateLimit `mapstructure:"ratelimit"`
	Budget     Budget    `mapstructure:"budget"`
	Audit      Audit     `mapstructure:"audit"`
	CORS       CORS      `mapstructure:"cors"`
	Tenant     Tenant    `mapstructure:"tenant"`
	Realtime   Realtime  `mapstructure:"realtime"`
	Health     Health    `mapstructure:"health"`
	LLM        LLM       `mapstructure:"llm"`
}

// LLM bounds every model call's stream (discussions, try-outs, and later
// workflow steps and the gateway): see meter.Stall.
type LLM struct {
	FirstTokenTimeout time.Duration `mapstructure:"first_token_timeout"`
	IdleTimeout       time.Duration `mapstructure:"idle_timeout"`
}

// Health tunes the readiness probe.
type Health struct {
	// RequireModels makes readiness fail while none of the operator's
	// Ollama servers (ollama.host, ollama.pool) answers.
	RequireModels bool `mapstructure:"require_models"`
}

// Realtime times every Server-Sent Events stream: the hub's topics and the
// streams handlers write themselves (model pulls, persona try-outs).
type Realtime struct {
	// WriteTimeout bounds one write; a client that stops reading for this
	// long is cut off.
	WriteTimeout time.Duration `mapstructure:"write_timeout"`
	// Heartbeat is how often a quiet stream gets a comment line.
	Heartbeat time.Duration `mapstructure:"heartbeat"`
}

// Audit configures where signed audit checkpoints go (see app/audit).
type Audit struct {
	CheckpointInterval time.Duration `mapstructure:"checkpoint_interval"`
	CheckpointFile     string        `mapstructure:"checkpoint_file"`
	CheckpointWebhook  string        `mapstructure:"checkpoint_webhook"`
}

// ACME configures certificate issuance in tls=acme mode.
type ACME struct {
	Email   string `mapstructure:"email"`
	CA      string `mapstructure:"ca"`
	CARoots string `mapstructure:"ca_roots"`
}

// DNS configures lookups the server makes itself (custom-domain checks).
type DNS struct {
	Resolver string `mapstructure:"resolver"`
}

// Proxy says which client-IP headers of a reverse proxy to trust.
type Proxy struct {
	TrustedHeaders string `mapstructure:"trusted_headers"`
	UseLeftmostIP  bool   `mapstructure:"use_leftmost_ip"`
}

// Headers splits proxy.trusted_headers into header names.
func (p Proxy) Headers() []string {
	var out []string
	for _, h := range strings.Split(p.TrustedHeaders, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// Budget holds the server-wide default token budgets (0: unlimited).
type Budget struct {
	TenantDailyTokens   int64 `mapstructure:"tenant_daily_tokens"`
	TenantMonthlyTokens int64 `mapstructure:"tenant_monthly_tokens"`
	UserDailyTokens     int64 `mapstructure:"user_daily_tokens"`
	UserMonthlyTokens   int64 `mapstructure:"user_monthly_tokens"`
}

// RateLimit configures request limits.
type RateLimit struct {
	Enabled bool   `mapstructure:"enabled"`
	Policy  string `mapstructure:"policy"`
	// Timeout bounds one decision's round trip to Redis.
	Timeout time.Duration `mapstructure:"timeout"`
	// Sign-in limits, each "N/duration" (see ParseRate).
	AuthIP      string `mapstructure:"auth_ip"`
	AuthAccount string `mapstructure:"auth_account"`
	MailAccount string `mapstructure:"mail_account"`
	SignupIP    string `mapstructure:"signup_ip"`
}

// Outbound limits where tenant-configured URLs may connect.
type Outbound struct {
	Allow string `mapstructure:"allow"`
}

// Database configures the PostgreSQL data plane (production mode).
type Database struct {
	URL         string `mapstructure:"url"`
	MigrateURL  string `mapstructure:"migrate_url"`
	AppRole     string `mapstructure:"app_role"`
	AppPassword string `mapstructure:"app_password"`
	MaxConns    int32  `mapstructure:"max_conns"`
}

// Redis configures the limits store; empty URL means in-process.
type Redis struct {
	URL string `mapstructure:"url"`
}

// Auth configures the users collection.
type Auth struct {
	Signup string `mapstructure:"signup"`
}

// Ollama locates the default local model server.
type Ollama struct {
	Host      string `mapstructure:"host"`
	NumCtxMax int    `mapstructure:"num_ctx_max"`
	// Pool lists more operator-run servers (comma-separated).
	Pool string `mapstructure:"pool"`
	// TenantManage delegates pulling and deleting models on operator
	// servers to tenant admins.
	TenantManage bool `mapstructure:"tenant_manage"`
	// FailoverToOperator lets chats pinned to a tenant's own Ollama host
	// fail over to the operator's servers when that host is down.
	FailoverToOperator bool `mapstructure:"failover_to_operator"`
}

// OperatorHosts is every Ollama server the operator configured: the
// default one first, then the pool. Tenants share them, so only the
// operator manages their models.
func (o Ollama) OperatorHosts() []string {
	var out []string
	for _, h := range append([]string{o.Host}, strings.Split(o.Pool, ",")...) {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// API tunes the JSON API.
type API struct {
	MaxBodyBytes int64 `mapstructure:"max_body_bytes"`
	// StoreTimeout bounds each data-plane call a request makes.
	StoreTimeout time.Duration `mapstructure:"store_timeout"`
}

// Mode is production when a database URL is set, else embedded.
func (c *Config) Mode() string {
	if c.Database.URL != "" {
		return ModeProduction
	}
	return ModeEmbedded
}

// SignupOpen reports whether password sign-up should be open, resolving
// "auto" by mode (open in embedded mode, closed in production).
func (c *Config) SignupOpen() bool {
	switch c.Auth.Signup {
	case SignupOpen:
		return true
	case SignupClosed:
		return false
	}
	return c.Mode() == ModeEmbedded
}

// Load reads args (os.Args[1:]; unknown flags and positional arguments are
// ignored, they belong to commands) and the environment. It returns the
// config and the flag set, which the command line adds to its root so
// `--help` lists every setting.
func Load(args []string) (*Config, *pflag.FlagSet, error) {
	fs := Flags()
	// --help belongs to the command line, which prints the flags itself.
	if err := fs.Parse(args); err != nil && !errors.Is(err, pflag.ErrHelp) {
		return nil, fs, fmt.Errorf("config: %w", err)
	}
	cfg, err := fromFlags(fs)
	return cfg, fs, err
}

// Flags returns a fresh flag set with one flag per setting.
func Flags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("nyxcore", pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	fs.Usage = func() {}
	for _, s := range Settings {
		fs.String(s.Flag(), s.Default(), s.Help)
	}
	return fs
}

// fromFlags builds the config from an already parsed flag set plus the
// environment and the config file.
func fromFlags(fs *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetEnvPrefix("NYX")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	for _, s := range Settings {
		v.SetDefault(s.Key, s.Default())
		if err := v.BindPFlag(s.Key, fs.Lookup(s.Flag())); err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
	}
	if err := readSecretFiles(v); err != nil {
		return nil, err
	}
	if f := v.GetString("config"); f != "" {
		v.SetConfigFile(f)
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("config: read %s: %w", f, err)
		}
	}
	var cfg Config
	if err := v.Unmarshal(&cfg); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return &cfg, cfg.Validate()
}

// readSecretFiles applies NYX_<KEY>_FILE for secret settings.
func readSecretFiles(v *viper.Viper) error {
	for _, s := range Settings {
		if !s.Secret {
			continue
		}
		path := os.Getenv(s.Env() + "_FILE")
		if path == "" {
			continue
		}
		if os.Getenv(s.Env()) != "" {
			return fmt.Errorf("config: both %s and %s_FILE are set; use one", s.Env(), s.Env())
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("config: %s_FILE: %w", s.Env(), err)
		}
		v.Set(s.Key, strings.TrimRight(string(b), "\r\n"))
	}
	return nil
}

// Validate checks every setting and names the first problem per key.
func (c *Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("dir (NYX_DIR) must not be empty"))
	}
	errs = append(errs, c.validateTLS()...)
	switch c.Auth.Signup {
	case SignupAuto, SignupOpen, SignupClosed:
	default:
		errs = append(errs, fmt.Errorf("auth.signup (NYX_AUTH_SIGNUP) %q must be auto, open or closed", c.Auth.Signup))
	}
	if c.Database.MaxConns < 1 {
		errs = append(errs, fmt.Errorf("database.max_conns (NYX_DATABASE_MAX_CONNS) must be at least 1"))
	}
	if c.RateLimit.Policy != "open" && c.RateLimit.Policy != "closed" {
		errs = append(errs, fmt.Errorf("ratelimit.policy (NYX_RATELIMIT_POLICY) %q must be open or closed", c.RateLimit.Policy))
	}
	errs = append(errs, c.RateLimit.validateRates()...)
	if c.LLM.FirstTokenTimeout < 0 || c.LLM.IdleTimeout < 0 {
		errs = append(errs, fmt.Errorf("llm.first_token_timeout and llm.idle_timeout (NYX_LLM_FIRST_TOKEN_TIMEOUT, NYX_LLM_IDLE_TIMEOUT) must not be negative"))
	}
	if c.RateLimit.Timeout < 10*time.Millisecond || c.RateLimit.Timeout > 10*time.Second {
		errs = append(errs, fmt.Errorf("ratelimit.timeout (NYX_RATELIMIT_TIMEOUT) %v must be between 10ms and 10s", c.RateLimit.Timeout))
	}
	if c.Ollama.NumCtxMax < 256 {
		errs = append(errs, fmt.Errorf("ollama.num_ctx_max (NYX_OLLAMA_NUM_CTX_MAX) must be at least 256"))
	}
	for _, h := range c.Ollama.OperatorHosts() {
		if !validOllamaHost(h) {
			errs = append(errs, fmt.Errorf("ollama.host / ollama.pool (NYX_OLLAMA_HOST / NYX_OLLAMA_POOL): %q is not an http(s)://host:port address", h))
		}
	}
	if c.API.MaxBodyBytes < 1024 {
		errs = append(errs, fmt.Errorf("api.max_body_bytes (NYX_API_MAX_BODY_BYTES) must be at least 1024"))
	}
	if c.Audit.CheckpointInterval < time.Second {
		errs = append(errs, fmt.Errorf("audit.checkpoint_interval (NYX_AUDIT_CHECKPOINT_INTERVAL) must be at least 1s"))
	}
	if c.API.StoreTimeout < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("api.store_timeout (NYX_API_STORE_TIMEOUT) must be at least 100ms"))
	}
	if c.Realtime.WriteTimeout < 100*time.Millisecond || c.Realtime.Heartbeat < 100*time.Millisecond {
		errs = append(errs, fmt.Errorf("realtime.write_timeout and realtime.heartbeat (NYX_REALTIME_WRITE_TIMEOUT, NYX_REALTIME_HEARTBEAT) must be at least 100ms"))
	}
	errs = append(errs, c.validateCORS()...)
	errs = append(errs, c.validateTenant()...)
	if len(errs) > 0 {
		return fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return nil
}

// validateTLS checks the listeners and TLS settings and fills in the
// defaults that depend on the mode: the HTTP and HTTPS addresses, and the
// base domain from the domain.
func (c *Config) validateTLS() []error {
	var errs []error
	c.Domain = normalHost(c.Domain)
	c.BaseDomain = normalHost(c.BaseDomain)
	if c.Domain != "" && !validHost(c.Domain) {
		errs = append(errs, fmt.Errorf("domain (NYX_DOMAIN) %q is not a host name such as nyx.example.com", c.Domain))
	}
	if c.BaseDomain == "" {
		c.BaseDomain = c.Domain
	}
	switch c.TLS {
	case TLSAuto:
		c.TLS = TLSOff
		if c.Domain != "" {
			c.TLS = TLSACME
		}
	case TLSACME:
		if c.Domain == "" {
			errs = append(errs, errors.New("tls (NYX_TLS) acme needs domain (NYX_DOMAIN): the public host name certificates are issued for"))
		}
	case TLSSelfSigned, TLSOff:
	default:
		errs = append(errs, fmt.Errorf("tls (NYX_TLS) %q must be auto, acme, self-signed or off", c.TLS))
	}
	c.HTTP, c.HTTPS = c.listeners()
	for _, l := range []struct{ key, env, addr string }{{"http", "NYX_HTTP", c.HTTP}, {"https", "NYX_HTTPS", c.HTTPS}} {
		if l.addr == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(l.addr); err != nil {
			errs = append(errs, fmt.Errorf("%s (%s) %q is not host:port: %v", l.key, l.env, l.addr, err))
		}
	}
	if u, err := url.Parse(c.ACME.CA); c.TLS == TLSACME && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		errs = append(errs, fmt.Errorf("acme.ca (NYX_ACME_CA) %q is not an ACME directory URL", c.ACME.CA))
	}
	if r := c.DNS.Resolver; r != "" {
		if _, _, err := net.SplitHostPort(r); err != nil {
			errs = append(errs, fmt.Errorf("dns.resolver (NYX_DNS_RESOLVER) %q is not host:port (e.g. 1.1.1.1:53): %v", r, err))
		}
	}
	return errs
}

// listeners returns the HTTP and HTTPS addresses, defaulted by TLS mode.
func (c *Config) listeners() (httpAddr, httpsAddr string) {
	httpAddr, httpsAddr = c.HTTP, c.HTTPS
	switch c.TLS {
	case TLSACME:
		httpAddr, httpsAddr = or(httpAddr, ":80"), or(httpsAddr, ":443")
	case TLSSelfSigned:
		httpsAddr = or(httpsAddr, ":8443")
	default:
		httpAddr, httpsAddr = or(httpAddr, "127.0.0.1:8090"), ""
	}
	return httpAddr, httpsAddr
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func normalHost(s string) string { return strings.Trim(strings.ToLower(strings.TrimSpace(s)), ".") }

// validHost accepts DNS names of letters, digits, hyphens and dots with at
// least two labels; tenant.NormalizeDomain does the full check where
// tenants name domains, this only catches URLs and typos in settings.
func validHost(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// validOllamaHost accepts what OLLAMA_HOST accepts: host, host:port or an
// http(s) URL with a host.
func validOllamaHost(s string) bool {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" && u.User == nil
}

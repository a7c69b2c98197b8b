package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/nyxcore/nyxcore/app/audit"
	"github.com/nyxcore/nyxcore/app/budget"
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/discuss"
	"github.com/nyxcore/nyxcore/app/kv"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/meter"
	"github.com/nyxcore/nyxcore/app/outbound"
	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/secret"
	"github.com/nyxcore/nyxcore/app/server"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/store/pgtest"
	"github.com/nyxcore/nyxcore/app/store/postgres"
	"github.com/nyxcore/nyxcore/app/store/sqlite"
	"github.com/nyxcore/nyxcore/hooks"
	"github.com/nyxcore/nyxcore/migrations"
)

func TestMain(m *testing.M) {
	code := pgtest.Run(m)
	kvtest.Stop()
	os.Exit(code)
}

// backends opens a fresh, migrated store of each driver.
var backends = []struct {
	name string
	open func(t *testing.T) store.Store
}{
	{"sqlite", func(t *testing.T) store.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), sqlite.FileName))
		if err != nil {
			t.Fatal(err)
		}
		return db
	}},
	{"postgres", func(t *testing.T) store.Store {
		ctx := context.Background()
		u := pgtest.NewDatabase(t)
		// Roles are cluster-wide: each database gets its own runtime role,
		// provisioned exactly as `db migrate` does in production.
		role := "nyx_app_" + strings.TrimPrefix(strings.TrimPrefix(mustParse(t, u).Path, "/"), "nyx_test_")
		if _, err := postgres.Migrate(ctx, u, postgres.AppRole{Name: role, Password: "pw"}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dropRole(u, role) })
		pu := mustParse(t, u)
		pu.User = url.UserPassword(role, "pw")
		db, err := postgres.Open(ctx, pu.String(), 4)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Check(ctx); err != nil {
			t.Fatal(err)
		}
		return db
	}},
}

// env is a PocketBase app with nyxCore's routes and hooks over one store,
// served over real HTTP, with a cast of users.
type env struct {
	t       *testing.T
	app     *tests.TestApp
	store   store.Store
	url     string
	cfg     *config.Config
	users   map[string]*core.Record
	tokens  map[string]string
	tenants map[string]string // slug -> id
	handler http.Handler      // the router, for tests that serve it themselves
	own     *ownership.Verifier
	notify  *domainNotify
}

// cast: alice owns acme; bob admin, carol member, dan viewer of acme;
// eve owns bravo; frank belongs nowhere.
var cast = []string{"alice", "bob", "carol", "dan", "eve", "frank"}

func newEnv(t *testing.T, open func(t *testing.T) store.Store) *env {
	return newEnvWith(t, open, "http://127.0.0.1:1")
}

// newEnvWith is newEnv whose built-in local Ollama is builtinOllama.
func newEnvWith(t *testing.T, open func(t *testing.T) store.Store, builtinOllama string) *env {
	return newEnvLimited(t, open, builtinOllama, nil)
}

// newEnvLimited is newEnvWith with the given limits (nil: roomy ones).
func newEnvLimited(t *testing.T, open func(t *testing.T) store.Store, builtinOllama string, tight ratelimit.Limits) *env {
	return newEnvRegistry(t, open, func(*config.Config) *registry.Registry { return newRegistry(t, builtinOllama) }, tight)
}

// newEnvRegistry is newEnvLimited whose registry newReg builds from the
// env's configuration.
func newEnvRegistry(t *testing.T, open func(t *testing.T) store.Store, newReg func(*config.Config) *registry.Registry, tight ratelimit.Limits) *env {
	t.Helper()
	return newEnvKV(t, open, newReg, tight, "")
}

// newEnvKV is newEnvRegistry with its limits in the Redis at kvURL ("":
// the embedded mode's in-process store).
func newEnvKV(t *testing.T, open func(t *testing.T) store.Store, newReg func(*config.Config) *registry.Registry, tight ratelimit.Limits, kvURL string) *env {
	t.Helper()
	app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	cfg, _, err := config.Load([]string{"--base-domain", "nyx.test", "--api-max-body-bytes", "4096"})
	if err != nil {
		t.Fatal(err)
	}
	st := open(t)
	t.Cleanup(func() { st.Close() })
	k, err := kv.Open(context.Background(), kvURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	if err := migrations.ApplySignup(app, true); err != nil {
		t.Fatal(err)
	}
	log := audit.New(st, audit.NewKeys([]byte("server test audit chain key"), []byte("server test audit checkpoint key")))
	hooks.Register(app, st, log)
	reg := newReg(cfg)
	hub := realtime.New(realtime.Options{})
	hooks.RegisterRevocation(app, hub)
	// Budgets without limits: nothing is refused, every call is charged.
	budgets := budget.New(st, budget.Limits{})
	engine := discuss.New(st, meter.New(registry.Personas{Registry: reg, Providers: st}, budgets), hub, discuss.Options{FlushEvery: 50 * time.Millisecond, RequestTimeout: cfg.API.StoreTimeout})
	t.Cleanup(func() { engine.Shutdown(time.Second); hub.Close() })
	// Real limits over the in-process Redis, roomy enough for the scenarios;
	// TestRateLimits tightens them.
	limits := ratelimit.Limits{}
	for class, scopes := range ratelimit.DefaultLimits() {
		limits[class] = map[string]ratelimit.Rule{}
		for scope, r := range scopes {
			limits[class][scope] = ratelimit.Rule{Rate: r.Rate * 100, Burst: r.Burst * 100}
		}
	}
	if tight != nil {
		limits = tight
	}
	own, notify := newOwnership(t), &domainNotify{}
	server.Register(app, server.Deps{Config: cfg, Store: st, KV: k, Registry: reg, Engine: engine, Hub: hub, Audit: log, Budgets: budgets,
		Limiter: ratelimit.New(k, envLimiterPolicy, t.Logf), Limits: limits, Ownership: own, DomainVerified: notify.call})
	e := &env{t: t, app: app, store: st, cfg: cfg, users: map[string]*core.Record{}, tokens: map[string]string{}, tenants: map[string]string{},
		own: own, notify: notify}
	e.serve()
	e.populate()
	return e
}

func (e *env) serve() {
	r, err := apis.NewRouter(e.app)
	if err != nil {
		e.t.Fatal(err)
	}
	se := &core.ServeEvent{App: e.app, Router: r}
	err = e.app.OnServe().Trigger(se, func(se *core.ServeEvent) error {
		mux, err := se.Router.BuildMux()
		if err != nil {
			return err
		}
		e.handler = mux
		srv := httptest.NewServer(mux)
		e.t.Cleanup(srv.Close)
		e.url = srv.URL
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) populate() {
	users, err := e.app.FindCollectionByNameOrId("users")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, name := range cast {
		rec := core.NewRecord(users)
		rec.SetEmail(name + "@example.com")
		rec.SetPassword("password-" + name)
		rec.Set("name", name)
		if err := e.app.Save(rec); err != nil {
			e.t.Fatal(err)
		}
		tok, err := rec.NewAuthToken()
		if err != nil {
			e.t.Fatal(err)
		}
		e.users[name], e.tokens[name] = rec, tok
	}
	e.createTenant("alice", "acme", "Acme")
	e.createTenant("eve", "bravo", "Bravo")
	for name, role := range map[string]string{"bob": "admin", "carol": "member", "dan": "viewer"} {
		e.join(name, "acme", role)
	}
}

// join makes user a member of slug with role the only way there is: an
// owner invites them and they accept with the invitation's token.
func (e *env) join(user, slug, role string) {
	e.t.Helper()
	owner := map[string]string{"acme": "alice", "bravo": "eve"}[slug]
	inv := e.must(e.call(owner, "POST", "/api/nyx/tenants/"+slug+"/members", map[string]any{"email": user + "@example.com", "role": role}), 202)
	e.must(e.call(user, "POST", "/api/nyx/invitations/accept", map[string]any{"token": inv.json["token"]}), 200)
}

func (e *env) createTenant(owner, slug, name string) {
	r := e.must(e.call(owner, "POST", "/api/nyx/tenants", map[string]any{"slug": slug, "name": name}), 201)
	e.tenants[slug] = r.json["id"].(string)
}

// response is a decoded API answer.
type response struct {
	status int
	header http.Header
	raw    string
	json   map[string]any
}

// call sends body (a value to encode, a string sent verbatim, or nil) as
// user ("" for no token).
func (e *env) call(user, method, path string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", e.token(user))
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	json.Unmarshal(raw, &out.json)
	return out
}

func (e *env) token(user string) string {
	if tok, ok := e.tokens[user]; ok {
		return tok
	}
	return user // a literal token, e.g. a forged one
}

func (e *env) must(r response, status int) response {
	e.t.Helper()
	if r.status != status {
		e.t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	return r
}

// snapshot renders everything the API can change, to prove a refused
// request changed nothing.
func (e *env) snapshot() string {
	ctx := context.Background()
	state := map[string]any{}
	for slug, id := range e.tenants {
		t, err := e.store.GetTenant(ctx, id)
		if err != nil {
			state[slug] = err.Error()
			continue
		}
		ms, _ := e.store.ListMembers(ctx, id)
		invs, _ := e.store.ListInvitations(ctx, id)
		state[slug] = map[string]any{"tenant": t, "members": ms, "invitations": invs}
	}
	for _, name := range cast {
		ms, _ := e.store.ListMemberships(ctx, e.users[name].Id)
		state["memberships:"+name] = ms
	}
	b, _ := json.Marshal(state)
	return string(b)
}

func expiredToken(t *testing.T, rec *core.Record) string {
	tok, err := rec.NewStaticAuthToken(time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // JWT expiry has one-second resolution
	return tok
}

func mustParse(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// dropRole removes a test runtime role; its database's own cleanup drops
// the database after this runs.
func dropRole(adminURL, role string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	name := pgx.Identifier{role}.Sanitize()
	conn.Exec(ctx, "DROP OWNED BY "+name)
	conn.Exec(ctx, "DROP ROLE "+name)
}

func newRegistry(t *testing.T, builtin string) *registry.Registry {
	key, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	ring, err := secret.NewKeyring(key)
	if err != nil {
		t.Fatal(err)
	}
	guard, err := outbound.Parse("loopback") // the default: the test peers listen on loopback
	if err != nil {
		t.Fatal(err)
	}
	return registry.New(registry.Options{Keyring: ring, BuiltinOllama: builtin, NumCtxMax: 512, Outbound: guard})
}

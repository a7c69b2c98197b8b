package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/kv/kvtest"
	"github.com/nyxcore/nyxcore/app/llm/registry"
	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/nyxcore/nyxcore/app/store"
)

// authLimits are tight sign-in limits for the tests: an hour's refill, so
// nothing trickles back while a test runs. The API's own classes have no
// rule here, so only the sign-in routes are limited.
var authLimits = ratelimit.Limits{
	ratelimit.ClassAuth:   {ratelimit.ScopeIP: ratelimit.Every(8, time.Hour), ratelimit.ScopeAccount: ratelimit.Every(4, time.Hour)},
	ratelimit.ClassMail:   {ratelimit.ScopeIP: ratelimit.Every(8, time.Hour), ratelimit.ScopeAccount: ratelimit.Every(2, time.Hour)},
	ratelimit.ClassSignup: {ratelimit.ScopeIP: ratelimit.Every(3, time.Hour)},
}

// limiterStores are the two homes of the limits: the embedded mode's
// in-process buckets and a real Redis.
var limiterStores = []struct {
	name string
	url  func(t *testing.T) string
}{
	{"embedded", func(*testing.T) string { return "" }},
	{"redis", func(t *testing.T) string { return kvtest.URL(t) }},
}

// runID keeps accounts and addresses of one test run apart from earlier
// runs against a long-lived NYX_TEST_REDIS_URL.
var runID = strconv.FormatInt(time.Now().UnixNano()%1_000_000, 10)

// newAuthEnv is an env with authLimits whose client addresses come from
// X-Forwarded-For, as behind a reverse proxy, so tests can speak from
// several addresses.
func newAuthEnv(t *testing.T, open func(t *testing.T) store.Store, kvURL string) *env {
	t.Helper()
	e := newEnvKV(t, open, func(*config.Config) *registry.Registry { return newRegistry(t, "http://127.0.0.1:1") }, authLimits, kvURL)
	s := e.app.Settings()
	s.TrustedProxy.Headers = []string{"X-Forwarded-For"}
	if err := e.app.Save(s); err != nil {
		t.Fatal(err)
	}
	return e
}

var memberSeq atomic.Int64

// member adds a new user with an email unique to the run and the env: the
// threshold marks of a shared Redis outlive an env. Sign-in events go to
// the account's own history, so no membership is needed.
func (e *env) member(name string) (email string, rec *core.Record) {
	e.t.Helper()
	users, err := e.app.FindCollectionByNameOrId("users")
	if err != nil {
		e.t.Fatal(err)
	}
	email = fmt.Sprintf("%s-%s-%d@example.com", name, runID, memberSeq.Add(1))
	rec = core.NewRecord(users)
	rec.SetEmail(email)
	rec.SetPassword("password-" + name)
	if err := e.app.Save(rec); err != nil {
		e.t.Fatal(err)
	}
	return email, rec
}

// signIn tries a password sign-in from ip.
func (e *env) signIn(ip string, body any) response {
	e.t.Helper()
	return e.post(ip, "/api/collections/users/auth-with-password", body)
}

// post sends body as JSON, without a token, from ip.
func (e *env) post(ip, path string, body any) response {
	e.t.Helper()
	return e.call("", "POST", path, body, "Content-Type", "application/json", "X-Forwarded-For", ip)
}

// accountEventCount counts the events with action in userID's own account history.
func (e *env) accountEventCount(action, userID string) int {
	e.t.Helper()
	events, err := e.store.ListAccountEvents(context.Background(), userID, 500)
	if err != nil {
		e.t.Fatal(err)
	}
	n := 0
	for _, x := range events {
		if x.Action == action {
			n++
		}
	}
	return n
}

// mustLimited checks a 429 in nyxCore's shape with a Retry-After.
func mustLimited(t *testing.T, what string, r response) {
	t.Helper()
	retry, _ := strconv.Atoi(r.header.Get("Retry-After"))
	if r.status != http.StatusTooManyRequests || r.json["code"] != "rate_limited" || retry < 1 {
		t.Fatalf("%s: %d Retry-After %q %s; want 429 rate_limited with Retry-After", what, r.status, r.header.Get("Retry-After"), r.raw)
	}
}

// TestSignInBurstIsLimited: a burst of wrong passwords for one account
// from one address is refused with 429 in nyxCore's shape, however the
// identity is spelled or encoded; the refused attempts never reach
// PocketBase; the owner still signs in from their own address; spraying
// other accounts runs into the address's own limit; rotating IPv6
// addresses inside one /64 does not help; and the crossing is audited once.
func TestSignInBurstIsLimited(t *testing.T) {
	for _, b := range backends {
		for _, ls := range limiterStores {
			t.Run(b.name+"/"+ls.name, func(t *testing.T) {
				e := newAuthEnv(t, b.open, ls.url(t))
				email, victim := e.member("grace")
				attacker := "203.0.113." + fmt.Sprint(len(b.name)+len(ls.name))
				spellings := []any{
					map[string]any{"identity": email, "password": "guess-1"},
					map[string]any{"identity": strings.ToUpper(email), "password": "guess-2"},
					map[string]any{"Identity": email, "password": "guess-3"}, // PocketBase binds JSON keys case-insensitively
					map[string]any{"identity": email, "password": "guess-4"},
				}
				for i, body := range spellings {
					if r := e.signIn(attacker, body); r.status != 400 {
						t.Fatalf("guess %d: %d %s, want PocketBase's 400", i, r.status, r.raw)
					}
				}
				mustLimited(t, "fifth guess", e.signIn(attacker, map[string]any{"identity": email, "password": "guess-5"}))
				form := e.callForm(attacker, url.Values{"identity": {email}, "password": {"password-grace"}})
				mustLimited(t, "right password as a form, from the attacker's address", form)
				// PocketBase matches emails case-sensitively (the users index has no
				// NOCASE), so the upper-case guess found no account to record it
				// against; the limit counts it for the account all the same.
				if n := e.accountEventCount("auth.signin_failed", victim.Id); n != len(spellings)-1 {
					t.Fatalf("%d failed sign-ins recorded, want %d: the refused ones must not reach PocketBase", n, len(spellings)-1)
				}
				if n := e.accountEventCount("auth.signin", victim.Id); n != 0 {
					t.Fatal("the attacker's address signed in past the limit")
				}

				r := e.signIn("198.51.100.20", map[string]any{"identity": email, "password": "password-grace"})
				if r.status != 200 || r.json["token"] == nil {
					t.Fatalf("the owner from their own address: %d %s, want signed in", r.status, r.raw)
				}
				if n := e.accountEventCount("auth.limit_exceeded", victim.Id); n != 1 {
					t.Fatalf("%d auth.limit_exceeded entries for two refusals in one window, want 1", n)
				}

				// Spraying: four more accounts' worth of guesses use up the address.
				other, _ := e.member("heidi")
				for i := range 4 {
					if r := e.signIn(attacker, map[string]any{"identity": other, "password": fmt.Sprint("spray-", i)}); r.status != 400 {
						t.Fatalf("spray %d: %d %s", i, r.status, r.raw)
					}
				}
				mustLimited(t, "ninth guess from one address", e.signIn(attacker, map[string]any{"identity": "alice@example.com", "password": "x"}))
				if n := e.accountEventCount("auth.limit_exceeded", e.users["alice"].Id); n != 0 {
					t.Fatal("an address's limit was audited as alice's account crossing hers")
				}

				// IPv6: every guess from a new address of one /64.
				net64 := fmt.Sprintf("2001:db8:%s:%d:", runID[:4], memberSeq.Add(1)) // a /64 of this env's own
				for i := range 5 {
					r := e.signIn(fmt.Sprintf("%s:%x:1", net64, i+1), map[string]any{"identity": "dan@example.com", "password": "v6"})
					if i < 4 && r.status != 400 {
						t.Fatalf("IPv6 guess %d: %d %s", i, r.status, r.raw)
					}
					if i == 4 {
						mustLimited(t, "fifth guess from the same /64", r)
					}
				}
			})
		}
	}
}

// callForm posts a sign-in as application/x-www-form-urlencoded.
func (e *env) callForm(ip string, v url.Values) response {
	e.t.Helper()
	return e.call("", "POST", "/api/collections/users/auth-with-password", v.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "X-Forwarded-For", ip)
}

// TestSignInLimitAcrossServers: two nyxCore servers (two PocketBase apps)
// share one Redis; guesses alternating between them meet one limit.
func TestSignInLimitAcrossServers(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			u := kvtest.URL(t)
			one, two := newAuthEnv(t, b.open, u), newAuthEnv(t, b.open, u)
			email := "shared-" + b.name + "-" + runID + "@example.com"
			ip := "192.0.2." + fmt.Sprint(10+len(b.name))
			for i := range 4 {
				e := []*env{one, two}[i%2]
				if r := e.signIn(ip, map[string]any{"identity": email, "password": fmt.Sprint("guess-", i)}); r.status != 400 {
					t.Fatalf("guess %d on server %d: %d %s", i, i%2+1, r.status, r.raw)
				}
			}
			for i, e := range []*env{one, two} {
				mustLimited(t, fmt.Sprintf("server %d after four guesses between them", i+1),
					e.signIn(ip, map[string]any{"identity": email, "password": "guess-5"}))
			}
		})
	}
}

// TestSignupAndMailRequestsAreLimited: sign-ups per address, and OTP and
// password-reset requests per address and account, stop at their limits
// without creating the account or the OTP; the account's owner elsewhere
// can still ask for a code.
func TestSignupAndMailRequestsAreLimited(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newAuthEnv(t, b.open, "")
			users, err := e.app.FindCollectionByNameOrId("users")
			if err != nil {
				t.Fatal(err)
			}
			users.OTP.Enabled = true
			if err := e.app.Save(users); err != nil {
				t.Fatal(err)
			}
			ip := "203.0.113.77"
			signup := func(i int) response {
				email := fmt.Sprintf("new-%d-%s@example.com", i, runID)
				return e.post(ip, "/api/collections/users/records", map[string]any{"email": email, "password": "password-123", "passwordConfirm": "password-123"})
			}
			for i := range 3 {
				e.must(signup(i), 200)
			}
			mustLimited(t, "fourth sign-up", signup(3))
			// By collection id instead of name: the same route, the same bucket.
			r := e.post(ip, "/api/collections/"+users.Id+"/records", map[string]any{"email": "by-id-" + runID + "@example.com", "password": "password-123", "passwordConfirm": "password-123"})
			mustLimited(t, "sign-up through the collection id", r)
			if n, _ := e.app.CountRecords(users); n != int64(len(cast)+3) {
				t.Fatalf("%d users, want %d: a refused sign-up created an account", n, len(cast)+3)
			}

			otp := func(from string) response {
				return e.post(from, "/api/collections/users/request-otp", map[string]any{"email": "carol@example.com"})
			}
			e.must(otp(ip), 200)
			e.must(otp(ip), 200)
			mustLimited(t, "third OTP request for carol", otp(ip))
			if otps, _ := e.app.FindAllOTPsByRecord(e.users["carol"]); len(otps) != 2 {
				t.Fatalf("%d OTPs for carol, want 2: a refused request made one", len(otps))
			}
			id := e.must(otp("198.51.100.9"), 200).json["otpId"].(string)
			for i := range 4 {
				r := e.post(ip, "/api/collections/users/auth-with-otp", map[string]any{"otpId": id, "password": fmt.Sprintf("%06d", i)})
				if r.status != 400 {
					t.Fatalf("OTP guess %d: %d %s", i, r.status, r.raw)
				}
			}
			mustLimited(t, "fifth guess at one OTP", e.post(ip, "/api/collections/users/auth-with-otp", map[string]any{"otpId": id, "password": "000004"}))

			reset := func() response {
				return e.post(ip, "/api/collections/users/request-password-reset", map[string]any{"email": "bob@example.com"})
			}
			e.must(reset(), 204)
			e.must(reset(), 204)
			mustLimited(t, "third password-reset request for bob", reset())
		})
	}
}

// TestSignInFailsClosedWithoutRedis: with the limits' Redis stopped, the
// sign-in routes answer 503 limiter_unavailable (not 429) and no sign-in
// happens, though the API itself follows its fail-open policy.
func TestSignInFailsClosedWithoutRedis(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			m := miniredis.RunT(t) // a Redis on a port that can be stopped
			e := newAuthEnv(t, b.open, "redis://"+m.Addr())
			ok := e.signIn("198.51.100.30", map[string]any{"identity": "alice@example.com", "password": "password-alice"})
			e.must(ok, 200)
			m.Close()
			routes := []struct {
				path string
				body map[string]any
			}{
				{"/api/collections/users/auth-with-password", map[string]any{"identity": "alice@example.com", "password": "password-alice"}},
				{"/api/collections/_superusers/auth-with-password", map[string]any{"identity": "root@example.com", "password": "x"}},
				{"/api/collections/users/request-password-reset", map[string]any{"email": "alice@example.com"}},
				{"/api/collections/users/records", map[string]any{"email": "down-" + runID + "@example.com", "password": "password-123", "passwordConfirm": "password-123"}},
			}
			for _, rt := range routes {
				r := e.post("198.51.100.30", rt.path, rt.body)
				if r.status != http.StatusServiceUnavailable || r.json["code"] != "limiter_unavailable" || r.header.Get("Retry-After") != "1" || r.json["token"] != nil {
					t.Fatalf("%s with Redis down: %d %v %s; want 503 limiter_unavailable, Retry-After 1", rt.path, r.status, r.header, r.raw)
				}
			}
			if n := e.accountEventCount("auth.signin", e.users["alice"].Id); n != 1 {
				t.Fatalf("%d sign-ins recorded, want only the one before the outage", n)
			}
			e.must(e.call("alice", "GET", "/api/nyx/tenants", nil), 200)
		})
	}
}

// TestPaddedSignInBody: a body padded past what the limiter reads still
// reaches PocketBase whole, and padding does not buy a fresh account
// bucket: every oversized body from one address shares one.
func TestPaddedSignInBody(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newAuthEnv(t, b.open, "")
			pad := strings.Repeat("x", 70<<10)
			r := e.signIn("198.51.100.40", map[string]any{"identity": "alice@example.com", "password": "password-alice", "pad": pad})
			if r.status != 200 || r.json["token"] == nil {
				t.Fatalf("padded sign-in with the right password: %d %.200s", r.status, r.raw)
			}
			for i := range 4 {
				if r := e.signIn("203.0.113.40", map[string]any{"identity": "bob@example.com", "password": fmt.Sprint("guess-", i), "pad": pad}); r.status != 400 {
					t.Fatalf("padded guess %d: %d %.200s", i, r.status, r.raw)
				}
			}
			mustLimited(t, "a padded guess at another account from the same address",
				e.signIn("203.0.113.40", map[string]any{"identity": "carol@example.com", "password": "guess", "pad": pad}))
		})
	}
}

package migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// RegisterControlPlane registers nyxCore's PocketBase migrations. The first
// sets the users collection's sign-up policy once, by mode (open when
// embedded, closed in production); after that the admin console owns the
// setting unless NYX_AUTH_SIGNUP forces it (see ApplySignup).
func RegisterControlPlane(signupOpenByDefault bool) {
	core.AppMigrations.Register(func(app core.App) error {
		return ApplySignup(app, signupOpenByDefault)
	}, nil, "1764201600_nyx_users_signup.go")
}

// ApplySignup opens or closes password sign-up on the users collection:
// open means anyone may create an account (createRule ""), closed means
// only superusers may (createRule nil). Password sign-in stays enabled.
func ApplySignup(app core.App, open bool) error {
	users, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return fmt.Errorf("migrations: users collection: %w", err)
	}
	users.PasswordAuth.Enabled = true
	if open {
		rule := ""
		users.CreateRule = &rule
	} else {
		users.CreateRule = nil
	}
	return app.Save(users)
}

// RegisterRateLimits turns PocketBase's own rate limiter on at first start
// (it ships off), so sign-in is brute-force resistant out of the box: ten
// authentication attempts a minute per IP, thirty record creations (such
// as sign-ups) per ten seconds. Operators tune it in the admin console.
func RegisterRateLimits() {
	core.AppMigrations.Register(func(app core.App) error {
		s := app.Settings()
		s.RateLimits.Enabled = true
		s.RateLimits.Rules = []core.RateLimitRule{
			{Label: "*:auth", MaxRequests: 10, Duration: 60},
			{Label: "*:create", MaxRequests: 30, Duration: 10},
			{Label: "/api/batch", MaxRequests: 3, Duration: 1},
		}
		return app.Save(s)
	}, nil, "1764201601_nyx_rate_limits.go")
	core.AppMigrations.Register(func(app core.App) error {
		return DropAuthRateLimits(app)
	}, nil, "1764201602_nyx_auth_limits.go")
}

// pbAuthRules are the labels of PocketBase's rate-limit rules that nyxCore's
// sign-in limits replace: "*:auth" covers password, OTP and OAuth2 sign-in,
// "*:create" sign-up (no other collection takes creates from clients).
var pbAuthRules = []string{"*:auth", "*:create"}

// DropAuthRateLimits removes PocketBase's own sign-in and sign-up rules,
// once: nyxCore limits those routes across processes and answers in its
// own error shape with Retry-After, and a second, per-process limiter
// answering 429 in PocketBase's shape would only confuse clients. The
// limiter itself stays on for the rules left (such as /api/batch), and
// for PocketBase's built-in check of repeated guesses at one OTP.
func DropAuthRateLimits(app core.App) error {
	s := app.Settings()
	kept := make([]core.RateLimitRule, 0, len(s.RateLimits.Rules))
	for _, r := range s.RateLimits.Rules {
		if !slices.Contains(pbAuthRules, r.Label) {
			kept = append(kept, r)
		}
	}
	s.RateLimits.Rules = kept
	if len(kept) == 0 {
		s.RateLimits.Enabled = false // PocketBase refuses an enabled limiter without rules
	}
	return app.Save(s)
}

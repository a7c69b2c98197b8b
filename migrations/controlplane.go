package migrations

import (
	"fmt"

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
}

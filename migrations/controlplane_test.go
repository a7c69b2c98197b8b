package migrations_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/nyxcore/nyxcore/migrations"
)

// TestDropAuthRateLimits: PocketBase's own sign-in and sign-up rules go
// (nyxCore's limits replace them, in nyxCore's error shape); the others
// stay, and a limiter left without rules is switched off rather than
// refused by PocketBase's validation.
func TestDropAuthRateLimits(t *testing.T) {
	cases := []struct {
		name    string
		rules   []string
		kept    []string
		enabled bool
	}{
		{"as RegisterRateLimits left them", []string{"*:auth", "*:create", "/api/batch"}, []string{"/api/batch"}, true},
		{"only the replaced rules", []string{"*:auth", "*:create"}, []string{}, false},
		{"an operator's own rules", []string{"users:listAuthMethods", "/api/"}, []string{"users:listAuthMethods", "/api/"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, err := tests.NewTestAppWithConfig(core.BaseAppConfig{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			defer app.Cleanup()
			s := app.Settings()
			s.RateLimits.Enabled = true
			s.RateLimits.Rules = nil
			for _, l := range tc.rules {
				s.RateLimits.Rules = append(s.RateLimits.Rules, core.RateLimitRule{Label: l, MaxRequests: 10, Duration: 60})
			}
			if err := app.Save(s); err != nil {
				t.Fatal(err)
			}
			if err := migrations.DropAuthRateLimits(app); err != nil {
				t.Fatal(err)
			}
			if err := app.ReloadSettings(); err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, r := range app.Settings().RateLimits.Rules {
				got = append(got, r.Label)
			}
			if !slices.Equal(got, tc.kept) || app.Settings().RateLimits.Enabled != tc.enabled {
				t.Fatalf("rules %q, enabled %v; want %q, %v", got, app.Settings().RateLimits.Enabled, tc.kept, tc.enabled)
			}
		})
	}
}

package command

import (
	"github.com/nyxcore/nyxcore/app/config"
	"github.com/nyxcore/nyxcore/app/ratelimit"
)

// limitsOf is ratelimit.DefaultLimits with the sign-in limits of the
// configuration (validated with it, so they parse).
func limitsOf(c config.RateLimit) ratelimit.Limits {
	rule := func(s string) ratelimit.Rule {
		n, per, _ := config.ParseRate(s)
		return ratelimit.Every(n, per)
	}
	limits := ratelimit.DefaultLimits()
	limits[ratelimit.ClassAuth] = map[string]ratelimit.Rule{ratelimit.ScopeIP: rule(c.AuthIP), ratelimit.ScopeAccount: rule(c.AuthAccount)}
	limits[ratelimit.ClassMail] = map[string]ratelimit.Rule{ratelimit.ScopeIP: rule(c.AuthIP), ratelimit.ScopeAccount: rule(c.MailAccount)}
	limits[ratelimit.ClassSignup] = map[string]ratelimit.Rule{ratelimit.ScopeIP: rule(c.SignupIP)}
	return limits
}

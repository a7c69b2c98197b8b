package ratelimit

import "time"

// Limits holds the rule of each scope of each class: class → scope → rule.
// A class or scope without a rule is not limited.
type Limits map[Class]map[string]Rule

// DefaultLimits are the limits nyxCore starts with. They are meant to stop
// abuse and runaway clients, not to meter normal use: a person clicking
// around never meets them, a script hammering an endpoint soon does.
//
//	class   ip                 user               tenant
//	write   10/s,  burst 60    5/s,  burst 30     50/s,  burst 300
//	read    40/s,  burst 200   20/s, burst 100    200/s, burst 1000
//	llm     —                  30/min, burst 10   300/min, burst 100
//
//	class   ip                 account (ip + identity)
//	auth    10/min, burst 10   10/15 min, burst 10
//	mail    10/min, burst 10   3/15 min, burst 3
//	signup  10/hour, burst 10  —
//
// Tenant rules are ten times the user rules: a team shares them. LLM has
// no IP rule because it needs a signed-in user; each turn costs one token.
// The auth classes are the defaults of the ratelimit.auth_* and
// ratelimit.mail_account and ratelimit.signup_ip settings; their account
// scope pairs the identity with the client IP (see ScopeAccount).
func DefaultLimits() Limits {
	return Limits{
		ClassAuth: {
			ScopeIP:      PerMinute(10, 10),
			ScopeAccount: Every(10, 15*time.Minute),
		},
		ClassMail: {
			ScopeIP:      PerMinute(10, 10),
			ScopeAccount: Every(3, 15*time.Minute),
		},
		ClassSignup: {
			ScopeIP: Every(10, time.Hour),
		},
		ClassWrite: {
			ScopeIP:     {Rate: 10, Burst: 60},
			ScopeUser:   {Rate: 5, Burst: 30},
			ScopeTenant: {Rate: 50, Burst: 300},
		},
		ClassRead: {
			ScopeIP:     {Rate: 40, Burst: 200},
			ScopeUser:   {Rate: 20, Burst: 100},
			ScopeTenant: {Rate: 200, Burst: 1000},
		},
		ClassLLM: {
			ScopeUser:   PerMinute(30, 10),
			ScopeTenant: PerMinute(300, 100),
		},
	}
}

// Every is a Rule of n tokens per period with a bucket of n: n requests
// at once, then one each period/n.
func Every(n int, period time.Duration) Rule {
	return Rule{Rate: float64(n) / period.Seconds(), Burst: n}
}

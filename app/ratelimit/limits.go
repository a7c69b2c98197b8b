package ratelimit

// Limits holds the rule of each scope of each class: class → scope → rule.
// A class or scope without a rule is not limited.
type Limits map[Class]map[string]Rule

// DefaultLimits are the limits nyxCore starts with. They are meant to stop
// abuse and runaway clients, not to meter normal use: a person clicking
// around never meets them, a script hammering an endpoint soon does.
//
//	class  ip                 user               tenant
//	auth   10/min, burst 10   10/min, burst 10   100/min, burst 100
//	write  10/s,  burst 60    5/s,  burst 30     50/s,  burst 300
//	read   40/s,  burst 200   20/s, burst 100    200/s, burst 1000
//	llm    —                  30/min, burst 10   300/min, burst 100
//
// Auth is also limited per user (the account being signed in to) so that
// guessing one account's password from many addresses is slow too. Tenant
// rules are ten times the user rules: a team shares them. LLM has no IP
// rule because it needs a signed-in user; each turn costs one token.
func DefaultLimits() Limits {
	return Limits{
		ClassAuth: {
			ScopeIP:     PerMinute(10, 10),
			ScopeUser:   PerMinute(10, 10),
			ScopeTenant: PerMinute(100, 100),
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

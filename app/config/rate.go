package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseRate reads a limit written "N/duration" ("10/1m", "3/15m",
// "10/1h"): N requests at once, refilled evenly over the duration. N is at
// least 1 and the duration at least a second.
func ParseRate(s string) (n int, per time.Duration, err error) {
	count, dur, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("%q is not N/duration, e.g. 10/1m", s)
	}
	if n, err = strconv.Atoi(strings.TrimSpace(count)); err != nil || n < 1 {
		return 0, 0, fmt.Errorf("%q: the count must be a whole number of at least 1", s)
	}
	if per, err = time.ParseDuration(strings.TrimSpace(dur)); err != nil || per < time.Second {
		return 0, 0, fmt.Errorf("%q: the duration must be at least 1s, written like 1m, 15m or 1h", s)
	}
	return n, per, nil
}

// validateRates checks the sign-in limits.
func (r RateLimit) validateRates() []error {
	var errs []error
	for _, s := range []struct{ key, v string }{
		{"ratelimit.auth_ip", r.AuthIP}, {"ratelimit.auth_account", r.AuthAccount},
		{"ratelimit.mail_account", r.MailAccount}, {"ratelimit.signup_ip", r.SignupIP},
	} {
		if _, _, err := ParseRate(s.v); err != nil {
			env := "NYX_" + strings.ToUpper(strings.ReplaceAll(s.key, ".", "_"))
			errs = append(errs, fmt.Errorf("%s (%s) %w", s.key, env, err))
		}
	}
	return errs
}

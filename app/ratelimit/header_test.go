package ratelimit_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/ratelimit"
)

func TestWriteHeaders(t *testing.T) {
	cases := []struct {
		name string
		d    ratelimit.Decision
		want map[string]string // "" means absent
	}{
		{"allowed", ratelimit.Decision{Allowed: true, Remaining: 7, Limit: 10, Reset: 2500 * time.Millisecond},
			map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "7", "RateLimit-Reset": "3", "Retry-After": ""}},
		{"refused", ratelimit.Decision{Limit: 10, RetryAfter: 6 * time.Second, Reset: 60 * time.Second},
			map[string]string{"RateLimit-Limit": "10", "RateLimit-Remaining": "0", "RateLimit-Reset": "60", "Retry-After": "6"}},
		{"refused for under a second", ratelimit.Decision{Limit: 5, RetryAfter: 50 * time.Millisecond, Reset: 250 * time.Millisecond},
			map[string]string{"RateLimit-Reset": "1", "Retry-After": "1"}},
		{"full bucket", ratelimit.Decision{Allowed: true, Remaining: 5, Limit: 5},
			map[string]string{"RateLimit-Reset": "0"}},
		{"cost exceeds burst", ratelimit.Decision{Limit: 5},
			map[string]string{"RateLimit-Limit": "5", "Retry-After": ""}},
		{"fail closed", ratelimit.Decision{RetryAfter: time.Second},
			map[string]string{"RateLimit-Limit": "", "RateLimit-Remaining": "", "RateLimit-Reset": "", "Retry-After": "1"}},
		{"fail open or no rule", ratelimit.Decision{Allowed: true},
			map[string]string{"RateLimit-Limit": "", "RateLimit-Reset": "", "Retry-After": ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			ratelimit.WriteHeaders(h, tc.d)
			for name, want := range tc.want {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

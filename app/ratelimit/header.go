package ratelimit

import (
	"net/http"
	"strconv"
	"time"
)

// WriteHeaders sets the RateLimit-Limit, RateLimit-Remaining and
// RateLimit-Reset headers of draft-ietf-httpapi-ratelimit-headers (Reset in
// whole seconds until the bucket is full), and Retry-After in whole seconds,
// at least 1, when d refuses with a wait. A Decision with Limit 0 consulted
// no bucket and gets no RateLimit-* headers; a refusal with RetryAfter 0
// (ErrCostExceedsBurst) gets no Retry-After, since waiting will not help.
func WriteHeaders(h http.Header, d Decision) {
	if d.Limit > 0 {
		h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
		h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
		h.Set("RateLimit-Reset", strconv.FormatInt(ceilSeconds(d.Reset), 10))
	}
	if !d.Allowed && d.RetryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(max(1, ceilSeconds(d.RetryAfter)), 10))
	}
}

func ceilSeconds(d time.Duration) int64 {
	return int64((d + time.Second - 1) / time.Second)
}

package server

import (
	"net/http"
	"net/netip"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/ratelimit"
)

var errLimiterUnavailable = newError(http.StatusServiceUnavailable, "limiter_unavailable",
	"Sign-in is paused: the server cannot check its sign-in limits right now. Try again shortly.")

// authRoute says how one of PocketBase's authentication routes is limited:
// its class, and the body field naming the account ("" for the IP alone).
type authRoute struct {
	class ratelimit.Class
	field string
}

// authRoutes are PocketBase's routes (as their mux patterns, so a path
// spelled differently cannot slip past) that try a secret, send mail or
// create an account. Superusers (_superusers) sign in through the same
// routes and are limited the same way.
var authRoutes = map[string]authRoute{
	"POST /api/collections/{collection}/auth-with-password":     {ratelimit.ClassAuth, "identity"},
	"POST /api/collections/{collection}/auth-with-otp":          {ratelimit.ClassAuth, "otpId"},
	"POST /api/collections/{collection}/auth-with-oauth2":       {ratelimit.ClassAuth, ""},
	"POST /api/collections/{collection}/confirm-password-reset": {ratelimit.ClassAuth, ""},
	"POST /api/collections/{collection}/confirm-verification":   {ratelimit.ClassAuth, ""},
	"POST /api/collections/{collection}/confirm-email-change":   {ratelimit.ClassAuth, ""},
	"POST /api/collections/{collection}/request-otp":            {ratelimit.ClassMail, "email"},
	"POST /api/collections/{collection}/request-password-reset": {ratelimit.ClassMail, "email"},
	"POST /api/collections/{collection}/request-verification":   {ratelimit.ClassMail, "email"},
	"POST /api/collections/{collection}/request-email-change":   {ratelimit.ClassMail, "newEmail"},
	"POST /api/collections/{collection}/records":                {ratelimit.ClassSignup, ""},
}

// authLimit checks sign-in, OTP, password-reset, verification, email-change
// and sign-up requests against the buckets of their client IP and, where
// the request names an account, of that IP and account together: guessing
// one account's password is slow, and an attacker elsewhere cannot use up
// the account owner's own bucket. A refusal is 429 rate_limited with
// Retry-After; an unreachable limiter is 503 limiter_unavailable whatever
// ratelimit.policy says (these routes fail closed), and either way the
// request never reaches PocketBase.
func (a *api) authLimit(e *core.RequestEvent) error {
	route, ok := authRoutes[e.Request.Pattern]
	if !ok || a.Limiter == nil {
		return e.Next()
	}
	col, err := e.App.FindCachedCollectionByNameOrId(e.Request.PathValue("collection"))
	if err != nil || !col.IsAuth() {
		return e.Next() // PocketBase answers 404, or it is a plain records create
	}
	if route.class == ratelimit.ClassSignup && e.HasSuperuserAuth() {
		return e.Next() // the admin console adding accounts
	}
	ip := clientNet(e.RealIP())
	ids := map[string]string{ratelimit.ScopeIP: ip}
	identity := ""
	if route.field != "" {
		identity = col.Id + "/" + requestIdentity(e.Request, route.field)
		ids[ratelimit.ScopeAccount] = ratelimit.AccountID(ip, identity)
	}
	d, err := a.Limiter.Check(e.Request.Context(), route.class, ids, a.Limits)
	if err != nil {
		return a.fail(e, err)
	}
	if d.Unavailable {
		e.Response.Header().Set("Retry-After", "1")
		return a.fail(e, errLimiterUnavailable)
	}
	ratelimit.WriteHeaders(e.Response.Header(), d)
	if !d.Allowed {
		if slices.Contains(d.Exhausted, ratelimit.ScopeAccount) {
			a.accountLimited(e, col, route, identity)
		}
		return a.fail(e, errRateLimited)
	}
	return e.Next()
}

// clientNet is the bucket id of a client address: the address itself, but
// for IPv6 its /64, since one subscriber commonly holds a whole /64 and
// could otherwise take a fresh bucket for every request.
func clientNet(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is6() || addr.Is4In6() {
		return ip
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

package server

import (
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/ratelimit"
	"github.com/nyxcore/nyxcore/hooks"
)

// accountLimited records that an account's sign-in bucket ran out: once
// per window (the time the bucket takes to refill) per account, however
// many addresses or processes see the refusals, since the mark that says
// "recorded" is a key in the limits store (Redis, or the in-process one of
// the single embedded process) set only if absent. The account's tenants
// get an auth.limit_exceeded audit entry; an identity with no account, and
// every crossing, goes to the server log.
func (a *api) accountLimited(e *core.RequestEvent, col *core.Collection, route authRoute, identity string) {
	rule := a.Limits[route.class][ratelimit.ScopeAccount]
	window := time.Duration(float64(rule.Burst) / rule.Rate * float64(time.Second))
	mark := ratelimit.Key(route.class, "audited", identity)
	if a.KV != nil {
		first, err := a.KV.SetNX(e.Request.Context(), mark, e.RealIP(), window).Result()
		if err != nil {
			e.App.Logger().Error("nyx: sign-in limit audit mark", "error", err.Error())
		}
		if err == nil && !first {
			return
		}
	}
	rec := limitedAccount(e, col, route, strings.TrimPrefix(identity, col.Id+"/"))
	account := ""
	if rec != nil {
		account = rec.Id
		if a.Audit != nil && col.Name == hooks.UsersCollection {
			hooks.RecordAccountEvent(e, a.Store, a.Audit, rec, "auth.limit_exceeded")
		}
	}
	e.App.Logger().Warn("nyx: sign-in limit reached for an account", "collection", col.Name, "identity", identity,
		"account", account, "ip", e.RealIP(), "class", string(route.class), "window", window.String())
}

// limitedAccount finds the account a refused request named, or nil.
func limitedAccount(e *core.RequestEvent, col *core.Collection, route authRoute, identity string) *core.Record {
	switch route.field {
	case "otpId":
		otp, err := e.App.FindOTPById(identity)
		if err != nil || otp.CollectionRef() != col.Id {
			return nil
		}
		rec, _ := e.App.FindRecordById(col, otp.RecordRef())
		return rec
	case "newEmail":
		return e.Auth // the account asking to change its address
	}
	if rec, err := e.App.FindAuthRecordByEmail(col, identity); err == nil {
		return rec
	}
	if route.field != "identity" {
		return nil
	}
	for _, f := range col.PasswordAuth.IdentityFields {
		if rec, err := e.App.FindFirstRecordByData(col, f, identity); err == nil {
			return rec
		}
	}
	return nil
}

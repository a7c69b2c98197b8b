package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"

	"github.com/nyxcore/nyxcore/app/realtime"
	"github.com/nyxcore/nyxcore/app/store"
	"github.com/nyxcore/nyxcore/app/tenant"
	"github.com/nyxcore/nyxcore/hooks"
)

var errStreamsClosed = newError(http.StatusServiceUnavailable, "shutting_down", "The server is shutting down; reconnect shortly.")

// serveEvents streams topic to the request's user for as long as they keep
// what it needs: the stream is owned by (user, tenant, needs, the token's
// generation and expiry), so a member change, a tenant or account deletion,
// a password change or the token's expiry ends it with an "event: revoked"
// frame. The middleware checked access when the request came in; Confirm
// checks again once the stream can be revoked, so a change that lands in
// between is not missed.
func (a *api) serveEvents(e *core.RequestEvent, topic string, needs tenant.Role) error {
	token := authToken(e.Request)
	acc := realtime.Access{
		Owner: realtime.Owner{UserID: e.Auth.Id, TenantID: tenantID(e), Needs: needs,
			Session: hooks.Session(e.Auth), Expires: tokenExpiry(token)},
		Confirm: func(ctx context.Context) error { return a.confirmAccess(ctx, e, token, needs) },
	}
	err := a.Hub.ServeSSEAs(e.Response, e.Request, topic, acc)
	switch {
	case e.Written(): // the stream ran; how it ended is for the client to see
		return nil
	case errors.Is(err, realtime.ErrClosed):
		return a.fail(e, errStreamsClosed)
	case err != nil:
		return a.fail(e, err)
	}
	return nil
}

// confirmAccess repeats the checks of requireUser, tenantScope and
// requireRole against the current state: the token still verifies (its
// account exists and its token key is unchanged) and the membership still
// has the role.
func (a *api) confirmAccess(ctx context.Context, e *core.RequestEvent, token string, needs tenant.Role) error {
	rec, err := e.App.FindAuthRecordByToken(token, core.TokenTypeAuth)
	if err != nil || rec.Id != e.Auth.Id {
		return errAuthRequired
	}
	m, err := a.Store.GetMember(ctx, tenantID(e), e.Auth.Id)
	if errors.Is(err, store.ErrNotFound) {
		return errTenantNotFound
	}
	if err != nil {
		return err
	}
	if !tenant.Role(m.Role).AtLeast(needs) {
		return errForbidden
	}
	return nil
}

// revoke ends the streams a stored change takes away. The change stands
// whatever happens here, so a failure is logged rather than answered.
func (a *api) revoke(e *core.RequestEvent, r realtime.Revocation) {
	var rv realtime.Revoker = a.Hub
	if a.Revoker != nil {
		rv = a.Revoker
	}
	if err := rv.Revoke(e.Request.Context(), r); err != nil {
		e.App.Logger().Error("nyx: revoke streams", "reason", r.Reason, "user", r.UserID, "tenant", r.TenantID, "error", err.Error())
	}
}

// authToken is the request's token as PocketBase reads it: the
// Authorization header, with or without a "Bearer " prefix.
func authToken(r *http.Request) string {
	tok := r.Header.Get("Authorization")
	if len(tok) > 7 && strings.EqualFold(tok[:7], "Bearer ") {
		return tok[7:]
	}
	return tok
}

// tokenExpiry reads the exp claim of a token PocketBase has verified
// already; zero when it has none.
func tokenExpiry(token string) time.Time {
	claims, err := security.ParseUnverifiedJWT(token)
	if err != nil {
		return time.Time{}
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return time.Time{}
	}
	return exp.Time
}

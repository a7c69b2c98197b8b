package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/app/ownership"
	"github.com/nyxcore/nyxcore/app/store"
)

var (
	errDomainNotSet  = newError(http.StatusBadRequest, "domain_not_set", "This workspace has no custom domain; set one first.")
	errDomainChanged = newError(http.StatusConflict, "domain_changed", "The custom domain changed while it was being checked; check the new one.")
)

// domainNotVerified says what the failed check looked up and found.
func domainNotVerified(domain string, err error) *apiError {
	found := strings.TrimPrefix(err.Error(), ownership.ErrNotProven.Error()+": ")
	return newError(http.StatusUnprocessableEntity, "domain_not_verified",
		"Could not verify "+domain+" yet. "+found+". DNS changes can take a while to show; try again later.")
}

// verifyDomain answers POST /api/nyx/tenants/{tenant}/domain/verify (owner
// or admin): it looks for the TXT record, then the HTTP token, and marks
// the domain verified when either is in place. A verified domain answers
// as it is, without a new check.
func (a *api) verifyDomain(e *core.RequestEvent) error {
	ctx := e.Request.Context()
	t, err := a.Store.GetTenant(ctx, tenantID(e))
	if err != nil {
		return a.fail(e, err)
	}
	if t.CustomDomain == nil || *t.CustomDomain == "" {
		return a.fail(e, errDomainNotSet)
	}
	if t.CustomDomainVerifiedAt != nil {
		return e.JSON(http.StatusOK, a.viewDomain(t))
	}
	domain := *t.CustomDomain
	method, err := a.Ownership.Check(ctx, t.ID, domain)
	if errors.Is(err, ownership.ErrNotProven) {
		return a.fail(e, domainNotVerified(domain, err))
	}
	if err != nil {
		return a.fail(e, err)
	}
	// The store marks only the domain that was proven, and only while it is
	// still the tenant's: one changed during the check is never marked.
	err = a.Store.MarkDomainVerified(ctx, t.ID, domain, time.Now())
	if errors.Is(err, store.ErrDomainChanged) {
		return a.fail(e, errDomainChanged)
	}
	if err != nil {
		return a.fail(e, err)
	}
	if t, err = a.Store.GetTenant(ctx, t.ID); err != nil {
		return a.fail(e, err)
	}
	a.record(e, t.ID, "tenant.domain_verify", "tenant", t.ID, map[string]any{"domain": domain, "method": method})
	if a.DomainVerified != nil {
		a.DomainVerified(domain)
	}
	return e.JSON(http.StatusOK, a.viewDomain(t))
}

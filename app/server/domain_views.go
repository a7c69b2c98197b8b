package server

import (
	"time"

	"github.com/nyxcore/nyxcore/app/store"
)

// domainView is the custom-domain status and what to publish to prove it.
type domainView struct {
	Domain     *string    `json:"domain"`
	Verified   bool       `json:"verified"`
	VerifiedAt *time.Time `json:"verified_at"`
	DNS        *dnsProof  `json:"dns"`
	HTTP       *httpProof `json:"http"`
}

type dnsProof struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

type httpProof struct {
	URL  string `json:"url"`
	Body string `json:"body"`
}

func (a *api) viewDomain(t *store.Tenant) domainView {
	v := domainView{Domain: t.CustomDomain, Verified: t.CustomDomainVerifiedAt != nil, VerifiedAt: t.CustomDomainVerifiedAt}
	if t.CustomDomain == nil || *t.CustomDomain == "" {
		return v
	}
	c := a.Ownership.Challenge(t.ID, *t.CustomDomain)
	v.DNS = &dnsProof{Type: "TXT", Name: c.RecordName, Value: c.RecordValue}
	v.HTTP = &httpProof{URL: c.URL, Body: c.Token}
	return v
}

package server

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// FuzzAuditFilter feeds arbitrary query strings to the audit filter
// parser: it must never panic, and what it accepts stays within bounds.
func FuzzAuditFilter(f *testing.F) {
	for _, q := range []string{"action=member.add&limit=5", "before=3", "since=2026-11-27T00:00:00Z", "limit=-1", "limit=999999", "before=abc", "since=yesterday"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/api/nyx/tenants/acme/audit", nil)
		req.URL.RawQuery = url.PathEscape(raw)
		if v, err := url.ParseQuery(raw); err == nil {
			req.URL.RawQuery = v.Encode()
		}
		e := &core.RequestEvent{}
		e.Request = req
		flt, err := auditFilter(e)
		if err != nil {
			return
		}
		if flt.Limit < 1 || flt.Limit > 500 || flt.Before < 0 || len(flt.Action) > 100 || len(flt.ActorID) > 100 {
			t.Fatalf("accepted out-of-bounds filter %+v from %q", flt, raw)
		}
	})
}

// FuzzDecode feeds arbitrary bodies to the JSON decoder every write route
// uses: it answers an *apiError or nil, never panics.
func FuzzDecode(f *testing.F) {
	for _, b := range []string{`{"slug":"acme","name":"A"}`, `[]`, `{"slug":1}`, `{}{}`, `{"x":`, ``, `null`} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/api/nyx/tenants", strings.NewReader(body))
		e := &core.RequestEvent{}
		e.Request = req
		var dst createTenantBody
		err := decodeLimited(e, &dst, 1<<16)
		if err != nil {
			if _, ok := err.(*apiError); !ok {
				t.Fatalf("decode(%q) = %T %v, want an *apiError", body, err, err)
			}
		}
	})
}

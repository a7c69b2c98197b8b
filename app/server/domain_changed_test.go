package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/certs/certstest"
	"github.com/nyxcore/nyxcore/app/store"
)

// TestDomainChangedDuringCheck changes the domain while the HTTP check for
// the old one is in flight: the proof of the old domain must not verify the
// new one, and the owner is told to check again.
func TestDomainChangedDuringCheck(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			dns := certstest.StartDNS(t) // every name: A 127.0.0.1, no TXT
			e.own.Resolver = dns.Addr()
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"custom_domain": "old.acme.test"}), 200)
			d := e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/domain", nil), 200).json
			token := d["http"].(map[string]any)["body"].(string)

			// The proof host answers correctly for the old domain, but only
			// after the domain has been changed behind the check's back.
			proof := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				newDomain := "new.acme.test"
				if _, err := e.store.UpdateTenant(context.Background(), e.tenants["acme"], store.UpdateTenant{CustomDomain: &newDomain}); err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				w.Write([]byte(token))
			}))
			t.Cleanup(proof.Close)
			e.own.HTTPPort = port(t, proof.URL)

			r := e.call("alice", "POST", "/api/nyx/tenants/acme/domain/verify", nil)
			if r.status != 409 || r.json["code"] != "domain_changed" || !strings.Contains(r.json["message"].(string), "changed") {
				t.Fatalf("verify while the domain changed = %d %s", r.status, r.raw)
			}
			d = e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/domain", nil), 200).json
			if d["domain"] != "new.acme.test" || d["verified"] != false {
				t.Fatalf("domain after the refused verification = %v", d)
			}
			for _, host := range []string{"new.acme.test", "old.acme.test"} {
				if g := e.call("alice", "GET", "/api/nyx/tenants/acme", nil, "Host", host); g.status == 200 && g.json["custom_domain_verified"] == true {
					t.Fatalf("%s routes as verified without proof: %s", host, g.raw)
				}
			}
			audit := e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/audit?action=tenant.domain_verify", nil), 200)
			if strings.Contains(audit.raw, "acme.test") {
				t.Fatalf("a refused verification was audited: %s", audit.raw)
			}
		})
	}
}

package server_test

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/certs/certstest"
)

func TestDomainStatusAndRoles(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "no domain yet", as: "bob", method: "GET", path: "/api/nyx/tenants/acme/domain", status: 200,
			want: map[string]any{"domain": nil, "verified": false, "dns": nil, "http": nil}},
		{name: "members cannot see the proof", as: "carol", method: "GET", path: "/api/nyx/tenants/acme/domain", status: 403, code: "forbidden"},
		{name: "non-members get 404", as: "eve", method: "GET", path: "/api/nyx/tenants/acme/domain", status: 404, code: "tenant_not_found"},
		{name: "verify without a domain", as: "alice", method: "POST", path: "/api/nyx/tenants/acme/domain/verify", status: 400, code: "domain_not_set"},
		{name: "members cannot verify", as: "carol", method: "POST", path: "/api/nyx/tenants/acme/domain/verify", status: 403, code: "forbidden"},
		{name: "no local CA without self-signed TLS", as: "", method: "GET", path: "/api/nyx/tls/root.crt", status: 404, code: "no_local_ca"},
		{name: "unknown proof token", as: "", method: "GET", path: "/.well-known/nyxcore-domain/nope", status: 404, code: "not_found"},
	})
}

func TestDomainVerification(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			dns := certstest.StartDNS(t) // every name: A 127.0.0.1, TXT as added
			e.own.Resolver = dns.Addr()
			// Until the HTTP subtest, the HTTP check reaches a closed port.
			e.own.HTTPPort = closedPort(t)

			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"custom_domain": "chat.acme.test"}), 200)
			d := e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/domain", nil), 200).json
			rec, web := d["dns"].(map[string]any), d["http"].(map[string]any)
			token := strings.TrimPrefix(rec["value"].(string), "nyxcore-verify=")
			if d["domain"] != "chat.acme.test" || d["verified"] != false || rec["type"] != "TXT" ||
				rec["name"] != "_nyxcore-challenge.chat.acme.test" || !strings.HasPrefix(rec["value"].(string), "nyxcore-verify=") ||
				web["url"] != "http://chat.acme.test/.well-known/nyxcore-domain/"+token {
				t.Fatalf("domain status = %v", d)
			}
			if again := e.call("alice", "GET", "/api/nyx/tenants/acme/domain", nil).json["dns"].(map[string]any)["value"]; again != rec["value"] {
				t.Fatalf("token changed between reads: %v then %v", rec["value"], again)
			}

			t.Run("missing record", func(t *testing.T) {
				before := e.snapshot()
				r := e.call("alice", "POST", "/api/nyx/tenants/acme/domain/verify", nil)
				if r.status != 422 || r.json["code"] != "domain_not_verified" ||
					!strings.Contains(r.raw, "_nyxcore-challenge.chat.acme.test") || !strings.Contains(r.raw, "looked up TXT") || !strings.Contains(r.raw, "got no answer") {
					t.Fatalf("missing record: %d %s", r.status, r.raw)
				}
				// What was found is told in words, without the server's own
				// network details (its resolver's address).
				if strings.Contains(r.raw, dns.Addr()) || strings.Contains(r.raw, "127.0.0.1") {
					t.Fatalf("the answer shows the server's network details: %s", r.raw)
				}
				if e.snapshot() != before {
					t.Fatal("a failed verification changed state")
				}
			})
			t.Run("wrong record", func(t *testing.T) {
				dns.Records().AddDNSTXTRecord("_nyxcore-challenge.chat.acme.test", "nyxcore-verify=someone-elses-token")
				before := e.snapshot()
				r := e.call("alice", "POST", "/api/nyx/tenants/acme/domain/verify", nil)
				if r.status != 422 || r.json["code"] != "domain_not_verified" || !strings.Contains(r.json["message"].(string), "someone-elses-token") {
					t.Fatalf("wrong record: %d %s", r.status, r.raw)
				}
				if e.snapshot() != before {
					t.Fatal("a failed verification changed state")
				}
				dns.Records().DeleteDNSTXTRecord("_nyxcore-challenge.chat.acme.test")
			})
			t.Run("another tenant's token does not count", func(t *testing.T) {
				e.must(e.call("eve", "PATCH", "/api/nyx/tenants/bravo", map[string]any{"custom_domain": "chat.bravo.test"}), 200)
				other := e.call("eve", "GET", "/api/nyx/tenants/bravo/domain", nil).json["dns"].(map[string]any)["value"].(string)
				dns.Records().AddDNSTXTRecord("_nyxcore-challenge.chat.acme.test", other)
				if r := e.call("alice", "POST", "/api/nyx/tenants/acme/domain/verify", nil); r.status != 422 {
					t.Fatalf("bravo's token verified acme's domain: %d %s", r.status, r.raw)
				}
				dns.Records().DeleteDNSTXTRecord("_nyxcore-challenge.chat.acme.test")
			})
			t.Run("TXT record", func(t *testing.T) {
				var told []string
				e.notify.set(func(d string) { told = append(told, d) })
				dns.Records().AddDNSTXTRecord("_nyxcore-challenge.chat.acme.test", rec["value"].(string))
				r := e.must(e.call("bob", "POST", "/api/nyx/tenants/acme/domain/verify", nil), 200)
				if r.json["verified"] != true || r.json["verified_at"] == nil || len(told) != 1 || told[0] != "chat.acme.test" {
					t.Fatalf("verify = %s, told %v", r.raw, told)
				}
				// The domain now routes to the tenant, and the action is audited.
				if g := e.call("alice", "GET", "/api/nyx/tenants/acme", nil, "Host", "chat.acme.test"); g.status != 200 || g.json["custom_domain_verified"] != true {
					t.Fatalf("verified domain does not route: %d %s", g.status, g.raw)
				}
				if g := e.call("eve", "GET", "/api/nyx/tenants/bravo", nil, "Host", "chat.acme.test"); g.status != 404 {
					t.Fatalf("acme's domain named bravo: %d", g.status)
				}
				audit := e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/audit?action=tenant.domain_verify", nil), 200)
				if !strings.Contains(audit.raw, `"method":"dns"`) || !strings.Contains(audit.raw, "chat.acme.test") {
					t.Fatalf("no audit entry: %s", audit.raw)
				}
				// Verifying again changes nothing; the proof URL is no longer served.
				e.must(e.call("bob", "POST", "/api/nyx/tenants/acme/domain/verify", nil), 200)
				if p := e.call("", "GET", "/.well-known/nyxcore-domain/"+token, nil, "Host", "chat.acme.test"); p.status != 404 {
					t.Fatalf("proof still served after verification: %d", p.status)
				}
			})
			t.Run("changing the domain resets verification", func(t *testing.T) {
				r := e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"custom_domain": "team.acme.test"}), 200)
				if r.json["custom_domain_verified"] != false {
					t.Fatalf("new domain inherited verification: %s", r.raw)
				}
				d := e.must(e.call("alice", "GET", "/api/nyx/tenants/acme/domain", nil), 200).json
				if d["verified"] != false || d["dns"].(map[string]any)["value"] == rec["value"] {
					t.Fatalf("new domain kept the old status or token: %v", d)
				}
			})
			t.Run("HTTP token", func(t *testing.T) {
				e.own.HTTPPort = port(t, e.url) // chat.bravo.test resolves to 127.0.0.1: this server
				d := e.must(e.call("eve", "GET", "/api/nyx/tenants/bravo/domain", nil), 200).json
				u := d["http"].(map[string]any)["url"].(string)
				path := strings.TrimPrefix(u, "http://chat.bravo.test")
				tok := d["http"].(map[string]any)["body"].(string)
				// This server answers the proof for the pending domain's host only.
				if p := e.call("", "GET", path, nil, "Host", "chat.bravo.test"); p.status != 200 || p.raw != tok {
					t.Fatalf("proof = %d %q, want %q", p.status, p.raw, tok)
				}
				if p := e.call("", "GET", path, nil, "Host", "chat.acme.test"); p.status != 404 {
					t.Fatalf("proof served for another host: %d", p.status)
				}
				if p := e.call("", "GET", path+"0", nil, "Host", "chat.bravo.test"); p.status != 404 {
					t.Fatalf("forged token served: %d", p.status)
				}
				r := e.must(e.call("eve", "POST", "/api/nyx/tenants/bravo/domain/verify", nil), 200)
				if r.json["verified"] != true {
					t.Fatalf("HTTP proof not accepted: %s", r.raw)
				}
				audit := e.must(e.call("eve", "GET", "/api/nyx/tenants/bravo/audit?action=tenant.domain_verify", nil), 200)
				if !strings.Contains(audit.raw, `"method":"http"`) {
					t.Fatalf("audit does not say http: %s", audit.raw)
				}
			})
		})
	}
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func port(t *testing.T, raw string) int {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

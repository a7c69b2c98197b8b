package server_test

import "testing"

// TestRenamedSlugIsHeld: after acme renames itself, another tenant tries
// to take the old slug (by rename and by creating a tenant) to receive
// acme's old links: both are refused with slug_held while old links (path
// and subdomain) still reach acme and tell the current slug. The owner
// can take the old slug back; with no hold configured the slug is free.
func TestRenamedSlugIsHeld(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme", map[string]any{"slug": "acme-labs"}), 200)
			for _, h := range [][]string{nil, {"Host", "acme.nyx.test"}} {
				r := e.must(e.call("dan", "GET", "/api/nyx/tenants/acme", nil, h...), 200)
				if r.json["slug"] != "acme-labs" || r.json["id"] != e.tenants["acme"] {
					t.Fatalf("old slug (%v) reached %s", h, r.raw)
				}
			}
			if r := e.call("eve", "GET", "/api/nyx/tenants/acme", nil); r.status != 404 || r.json["code"] != "tenant_not_found" {
				t.Fatalf("non-member through the old slug: %d %s", r.status, r.raw)
			}

			before := e.snapshot()
			if r := e.call("eve", "PATCH", "/api/nyx/tenants/bravo", map[string]any{"slug": "acme"}); r.status != 409 || r.json["code"] != "slug_held" {
				t.Fatalf("rename onto a held slug: %d %s", r.status, r.raw)
			}
			if r := e.call("frank", "POST", "/api/nyx/tenants", map[string]any{"slug": "acme", "name": "Squat"}); r.status != 409 || r.json["code"] != "slug_held" {
				t.Fatalf("create with a held slug: %d %s", r.status, r.raw)
			}
			if after := e.snapshot(); after != before {
				t.Fatalf("refused requests changed state:\nbefore %s\nafter  %s", before, after)
			}
			if r := e.must(e.call("eve", "GET", "/api/nyx/tenants/bravo", nil), 200); r.json["slug"] != "bravo" {
				t.Fatalf("bravo: %s", r.raw)
			}

			// The owner takes the old slug back; now acme-labs is held.
			if r := e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme-labs", map[string]any{"slug": "acme"}), 200); r.json["slug"] != "acme" {
				t.Fatalf("take back: %s", r.raw)
			}
			if r := e.call("frank", "POST", "/api/nyx/tenants", map[string]any{"slug": "acme-labs", "name": "Squat"}); r.status != 409 || r.json["code"] != "slug_held" {
				t.Fatalf("create with the slug given back: %d %s", r.status, r.raw)
			}

			// tenant.slug_hold = 0: a rename frees the slug at once.
			e.cfg.Tenant.SlugHold = 0
			e.must(e.call("eve", "PATCH", "/api/nyx/tenants/bravo", map[string]any{"slug": "bravo-2"}), 200)
			e.must(e.call("frank", "POST", "/api/nyx/tenants", map[string]any{"slug": "bravo", "name": "New Bravo"}), 201)
		})
	}
}

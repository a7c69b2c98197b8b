package server_test

import (
	"strings"
	"testing"
)

func TestAuditAPI(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open)
			e.must(e.call("alice", "POST", "/api/nyx/tenants/acme/providers", map[string]any{"kind": "openai", "name": "Cloud", "api_key": cloudKey}), 201)
			e.must(e.call("alice", "PATCH", "/api/nyx/tenants/acme/members/"+e.users["carol"].Id, map[string]any{"role": "admin"}), 200)

			r := e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/audit", nil), 200)
			its := items(r)
			actions := []string{}
			for _, it := range its {
				actions = append(actions, it["action"].(string))
			}
			want := "member.role,provider.create,invitation.accept,invitation.create,invitation.accept,invitation.create,invitation.accept,invitation.create,tenant.create"
			if got := strings.Join(actions, ","); got != want {
				t.Fatalf("audit actions = %s, want %s", got, want)
			}
			top := its[0]
			if top["actor_email"] != "alice@example.com" || top["target_id"] != e.users["carol"].Id || top["hash"] == "" || top["ip"] == "" {
				t.Fatalf("newest entry = %v", top)
			}
			if d := top["details"].(map[string]any); d["from"] != "member" || d["to"] != "admin" {
				t.Fatalf("details = %v", d)
			}
			if strings.Contains(r.raw, "NYXSECRET") {
				t.Fatal("the audit log holds an API key")
			}
			f := e.must(e.call("bob", "GET", "/api/nyx/tenants/acme/audit?action=invitation.accept&limit=2", nil), 200)
			if len(items(f)) != 2 || f.json["next_before"].(float64) == 0 {
				t.Fatalf("filtered page = %s", f.raw)
			}
			csv := e.call("alice", "GET", "/api/nyx/tenants/acme/audit?format=csv", nil)
			if csv.status != 200 || !strings.HasPrefix(csv.raw, "seq,at,actor_id") || strings.Count(csv.raw, "\n") < 10 {
				t.Fatalf("csv = %d %q", csv.status, csv.raw)
			}
			for _, c := range []struct {
				who, path string
				status    int
			}{
				{"dan", "/api/nyx/tenants/acme/audit", 403},
				{"eve", "/api/nyx/tenants/acme/audit", 404},
				{"alice", "/api/nyx/tenants/acme/audit?since=yesterday", 400},
				{"alice", "/api/nyx/tenants/acme/audit?limit=100000", 400},
			} {
				if r := e.call(c.who, "GET", c.path, nil); r.status != c.status {
					t.Errorf("%s %s: %d, want %d", c.who, c.path, r.status, c.status)
				}
			}
			// Bravo's log knows nothing of acme.
			br := e.must(e.call("eve", "GET", "/api/nyx/tenants/bravo/audit", nil), 200)
			if len(items(br)) != 1 || items(br)[0]["action"] != "tenant.create" {
				t.Fatalf("bravo's audit = %s", br.raw)
			}
		})
	}
}

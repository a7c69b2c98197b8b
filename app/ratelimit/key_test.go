package ratelimit_test

import (
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/ratelimit"
)

func TestKeyReadableForPlainIDs(t *testing.T) {
	cases := []struct {
		class     ratelimit.Class
		scope, id string
		want      string
	}{
		{ratelimit.ClassAuth, ratelimit.ScopeIP, "203.0.113.9", "nyx:rl:auth:ip:203.0.113.9"},
		{ratelimit.ClassLLM, ratelimit.ScopeUser, "u_8f3a-2", "nyx:rl:llm:user:u_8f3a-2"},
		{ratelimit.ClassRead, ratelimit.ScopeIP, "2001:db8::1", "nyx:rl:read:ip:2001%3Adb8%3A%3A1"},
	}
	for _, tc := range cases {
		if got := ratelimit.Key(tc.class, tc.scope, tc.id); got != tc.want {
			t.Errorf("Key(%s, %s, %q) = %q, want %q", tc.class, tc.scope, tc.id, got, tc.want)
		}
	}
}

// TestKeyHostileIDsDoNotCollide feeds ids an attacker might choose to
// reach someone else's bucket, or a wildcard, or a huge key.
func TestKeyHostileIDsDoNotCollide(t *testing.T) {
	long := strings.Repeat("x", 10000)
	ids := []string{
		"alice", "alice:", ":alice", "user:alice", "alice:user:bob", "*", "alice*", "?", "[a]",
		"%3A", ":", "%", "~", "alice%3Auser", "a b", "a\nb", "\x00", "ü", "",
		long, long + "y", strings.Repeat(":", 40), strings.Repeat("%", 40),
		strings.Repeat("a", 96), strings.Repeat("a", 97), strings.Repeat(":", 32), strings.Repeat(":", 33),
	}
	seen := map[string]string{}
	add := func(k, what string) {
		if prev, ok := seen[k]; ok {
			t.Fatalf("%s and %s share key %q", prev, what, k)
		}
		seen[k] = what
	}
	for _, id := range ids {
		for _, scope := range []string{ratelimit.ScopeIP, ratelimit.ScopeUser, "ip:user"} {
			k := ratelimit.Key(ratelimit.ClassAuth, scope, id)
			if strings.Count(k, ":") != 4 || strings.ContainsAny(k[len("nyx:rl:"):], "*?[] \n\x00") {
				t.Errorf("Key(auth, %q, %.20q) = %.60q: separator or glob characters leaked", scope, id, k)
			}
			if len(k) > 300 {
				t.Errorf("Key(auth, %q, %.20q) is %d bytes", scope, id, len(k))
			}
			add(k, scope+"/"+id[:min(len(id), 20)])
		}
	}
}

package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, backends[0].open)
	page := e.call("", "GET", "/", nil)
	csp := page.header.Get("Content-Security-Policy")
	script := regexp.MustCompile(`script-src ([^;]*)`).FindStringSubmatch(csp)
	if script == nil || strings.Contains(script[1], "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP = %q", csp)
	}
	// Every inline script of the page is allowed by its hash, so the app
	// works under the policy.
	for _, m := range regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(page.raw, -1) {
		sum := sha256.Sum256([]byte(m[1]))
		if !strings.Contains(script[1], "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") {
			t.Fatalf("inline script not allowed by the CSP: %.60q", m[1])
		}
	}
	for _, path := range []string{"/", "/api/nyx/health", "/api/nope"} {
		h := e.call("", "GET", path, nil).header
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s headers = %v", path, h)
		}
	}
}

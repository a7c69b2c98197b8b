package server

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"regexp"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/embed"
)

var inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)

// contentSecurityPolicy allows the web app's own files and, for scripts,
// only the exact inline scripts of its index.html (by hash): no
// 'unsafe-inline' scripts. Styles may be inline (component libraries set
// style attributes); they cannot run code.
func contentSecurityPolicy() string {
	scripts := []string{"'self'"}
	if index, err := fs.ReadFile(embed.Dist(), "index.html"); err == nil {
		for _, m := range inlineScript.FindAllSubmatch(index, -1) {
			sum := sha256.Sum256(m[1])
			scripts = append(scripts, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(scripts, " "),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob: https:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// securityHeaders sets the browser-facing policy on every response. The
// admin console (/_/) is PocketBase's own app and keeps its own policy;
// HSTS is sent only over TLS, where it means something.
func securityHeaders() func(e *core.RequestEvent) error {
	csp := contentSecurityPolicy()
	return func(e *core.RequestEvent) error {
		h := e.Response.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !strings.HasPrefix(e.Request.URL.Path, "/_/") {
			h.Set("Content-Security-Policy", csp)
			h.Set("X-Frame-Options", "DENY")
		}
		if e.Request.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return e.Next()
	}
}

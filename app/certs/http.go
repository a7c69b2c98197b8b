package certs

import (
	"net"
	"net/http"
	"strings"
)

// Paths the HTTP listener serves itself instead of redirecting: load
// balancers check health over plain HTTP, a custom domain's HTTP proof
// must work before the domain has a certificate, and people fetch the
// local root before they trust HTTPS.
var plainPaths = []string{"/api/nyx/health", "/.well-known/nyxcore-domain/", "/api/nyx/tls/root.crt"}

// HTTPHandler is the plain-HTTP listener's handler: ACME HTTP-01
// challenges, the paths above through next, and a permanent redirect to
// HTTPS for everything else.
func (m *Manager) HTTPHandler(next http.Handler) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range plainPaths {
			if r.URL.Path == p || strings.HasSuffix(p, "/") && strings.HasPrefix(r.URL.Path, p) {
				next.ServeHTTP(w, r)
				return
			}
		}
		m.redirect(w, r)
	})
	if m.acme != nil {
		return m.acme.issuer.HTTPChallengeHandler(h)
	}
	return h
}

func (m *Manager) redirect(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" {
		host = m.domain
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if m.httpsPort != "443" {
		host += ":" + m.httpsPort
	}
	// Only GET and HEAD are redirected: a form posted over plain HTTP has
	// already leaked, and following it silently would hide that.
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Use HTTPS.", http.StatusBadRequest)
		return
	}
	w.Header().Set("Connection", "close")
	http.Redirect(w, r, "https://"+host+r.URL.RequestURI(), http.StatusPermanentRedirect)
}

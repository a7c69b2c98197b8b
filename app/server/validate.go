package server

import (
	"errors"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyxcore/nyxcore/app/tenant"
)

const maxNameLen = 100

// validName trims a display name and checks its length and characters.
func validName(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > maxNameLen {
		return "", fieldError(http.StatusBadRequest, "invalid_field", field, "The name must be 1 to 100 characters.")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", fieldError(http.StatusBadRequest, "invalid_field", field, "The name must not contain control characters.")
		}
	}
	return s, nil
}

// validSlug maps the tenant package's slug errors to field errors.
func validSlug(s string) error {
	err := tenant.ValidateSlug(s)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tenant.ErrReservedSlug):
		return fieldError(http.StatusBadRequest, "reserved_slug", "slug", "That slug is reserved; pick another.")
	}
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return fieldError(http.StatusBadRequest, "invalid_slug", "slug",
		"Slugs are 3 to 40 lowercase letters, digits and hyphens ("+msg+").")
}

// validRole parses a role name from a request.
func validRole(s string) (tenant.Role, error) {
	r, err := tenant.ParseRole(s)
	if err != nil {
		return "", fieldError(http.StatusBadRequest, "invalid_role", "role", "The role must be one of owner, admin, member, viewer.")
	}
	return r, nil
}

// validDomain normalizes a custom domain; the base domain and its
// subdomains are the server's own and cannot be claimed.
func (a *api) validDomain(s string) (string, error) {
	d, err := tenant.NormalizeDomain(s)
	if err != nil {
		return "", fieldError(http.StatusBadRequest, "invalid_domain", "custom_domain", "Enter a host name such as chat.example.com.")
	}
	if base := a.Config.BaseDomain; base != "" && (d == base || strings.HasSuffix(d, "."+base)) {
		return "", fieldError(http.StatusBadRequest, "invalid_domain", "custom_domain", "That host belongs to this server; tenants get "+"<slug>."+base+" already.")
	}
	return d, nil
}

package tenant

import (
	"fmt"
	"regexp"
	"strings"
)

// Slug length bounds. The minimum keeps short, squattable names free; the
// maximum leaves room under the 63-byte DNS label limit.
const (
	minSlugLen = 3
	maxSlugLen = 40
)

// uuidLike matches UUIDs with or without hyphens. Tenant refs in URLs may be
// an id or a slug, so a slug must never look like an id.
var uuidLike = regexp.MustCompile(`^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)

// reservedSlugs are names used by the product itself (routes, well-known
// subdomains, mailboxes) or likely to confuse users if taken by a tenant.
var reservedSlugs = map[string]bool{
	"api": true, "admin": true, "administrator": true, "www": true,
	"app": true, "apps": true, "mail": true, "email": true, "smtp": true,
	"ftp": true, "static": true, "assets": true, "cdn": true, "auth": true,
	"login": true, "logout": true, "signin": true, "signup": true,
	"register": true, "account": true, "accounts": true, "settings": true,
	"status": true, "health": true, "docs": true, "help": true,
	"support": true, "billing": true, "root": true, "system": true,
	"nyx": true, "nyxcore": true, "pb": true, "dashboard": true,
	"console": true, "new": true, "tenant": true, "tenants": true, "t": true,
	"me": true, "null": true, "undefined": true, "localhost": true,
	"test": true, "dev": true, "staging": true, "prod": true,
	"production": true, "security": true, "abuse": true, "postmaster": true,
	"hostmaster": true, "webmaster": true,
}

// IsReservedSlug reports whether s is reserved for the product. It compares
// case-insensitively and treats every "_"-prefixed name as reserved, so it is
// safe to call on unvalidated input.
func IsReservedSlug(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "_") || reservedSlugs[s]
}

// ValidateSlug checks that s can be used as a tenant slug: a lowercase DNS
// label of 3 to 40 characters from [a-z0-9-] that can also serve as a
// subdomain. Errors wrap ErrInvalidSlug, with a message saying what is
// wrong, or ErrReservedSlug.
func ValidateSlug(s string) error {
	if msg := slugProblem(s); msg != "" {
		return fmt.Errorf("%w: %q %s", ErrInvalidSlug, s, msg)
	}
	if IsReservedSlug(s) {
		return fmt.Errorf("%w: %q is reserved", ErrReservedSlug, s)
	}
	return nil
}

// slugProblem describes what is wrong with s, or returns "" if nothing is.
func slugProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if msg := slugCharProblem(s); msg != "" {
		return msg
	}
	switch {
	case len(s) < minSlugLen:
		return fmt.Sprintf("is too short (minimum %d characters)", minSlugLen)
	case len(s) > maxSlugLen:
		return fmt.Sprintf("is too long (maximum %d characters)", maxSlugLen)
	case s[0] == '-' || s[len(s)-1] == '-':
		return "must not start or end with a hyphen"
	case strings.HasPrefix(s, "xn--"):
		return `must not start with "xn--" (reserved for internationalized domain names)`
	case len(s) >= 4 && s[2:4] == "--":
		// IDNA rejects any label with "--" here, so the slug could never
		// be reached as a subdomain.
		return `must not have "--" as its third and fourth characters`
	case uuidLike.MatchString(s):
		return "must not look like an id"
	}
	return ""
}

// slugCharProblem reports the first character outside [a-z0-9-].
func slugCharProblem(s string) string {
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			continue
		case c >= 'A' && c <= 'Z':
			return "must be lowercase"
		default:
			return fmt.Sprintf("contains %q; use only a-z, 0-9 and '-'", c)
		}
	}
	return ""
}

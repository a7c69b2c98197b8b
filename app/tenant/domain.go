package tenant

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// DNS limits on the ASCII form of a name (RFC 1035).
const (
	maxLabelLen = 63
	maxNameLen  = 253
)

// maxHostInput bounds the work done on an attacker-controlled Host header.
// It is far above any valid name, but IDNA mapping can drop characters, so
// the bound applies to the raw input rather than the result.
const maxHostInput = 1024

// reservedDomainSuffixes can never be public custom domains (RFC 6761,
// RFC 6762), so verifying them would only invite confusion.
var reservedDomainSuffixes = []string{".localhost", ".local", ".invalid"}

// NormalizeHost turns a request's Host header into the form used for
// lookups: the port (also in "[::1]:8090" form) and one trailing dot are
// removed, letters are lowercased and internationalized names are converted
// to punycode. IP addresses come back in canonical form without brackets; see
// IsIP. It returns false for empty or malformed input.
func NormalizeHost(hostport string) (string, bool) {
	if hostport == "" || len(hostport) > maxHostInput {
		return "", false
	}
	if strings.HasPrefix(hostport, "[") {
		return bracketedIP(hostport)
	}
	host := hostport
	if strings.Count(hostport, ":") == 1 {
		var port string
		host, port, _ = strings.Cut(hostport, ":")
		if !validPort(port) {
			return "", false
		}
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return canonicalIP(ip)
	}
	name, err := asciiName(host)
	return name, err == nil
}

// IsIP reports whether host, as returned by NormalizeHost, is an IP address
// rather than a name. Requests by IP never carry a host-based tenant.
func IsIP(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// NormalizeDomain validates a custom domain typed by a user and returns its
// lowercase ASCII (punycode) form without a trailing dot. It refuses, with
// an error wrapping ErrInvalidDomain that says why: empty input, IP
// addresses, ports, schemes, paths, wildcards, single labels, over-long
// names or labels, labels starting or ending with a hyphen, invalid
// characters, and the special-use names localhost, *.localhost, *.local and
// *.invalid. Names under .test are allowed so tests can use them.
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if msg := domainSyntaxProblem(s); msg != "" {
		return "", fmt.Errorf("%w: %q %s", ErrInvalidDomain, s, msg)
	}
	name, err := asciiName(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q %v", ErrInvalidDomain, s, err)
	}
	if msg := domainNameProblem(name); msg != "" {
		return "", fmt.Errorf("%w: %q %s", ErrInvalidDomain, s, msg)
	}
	return name, nil
}

// bracketedIP handles "[v6]" and "[v6]:port" hosts; brackets are only legal
// around IPv6 literals.
func bracketedIP(hostport string) (string, bool) {
	inner, rest, ok := strings.Cut(hostport[1:], "]")
	if !ok {
		return "", false
	}
	if rest != "" {
		port, hasColon := strings.CutPrefix(rest, ":")
		if !hasColon || !validPort(port) {
			return "", false
		}
	}
	ip, err := netip.ParseAddr(inner)
	if err != nil || !ip.Is6() {
		return "", false
	}
	return canonicalIP(ip)
}

// canonicalIP rejects zoned addresses, which name an interface of the
// client's machine and mean nothing to us.
func canonicalIP(ip netip.Addr) (string, bool) {
	if ip.Zone() != "" {
		return "", false
	}
	return ip.String(), true
}

// validPort accepts the RFC 3986 port syntax: up to five digits, possibly
// none. The value itself is irrelevant to tenant resolution.
func validPort(port string) bool {
	if len(port) > 5 {
		return false
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// asciiName converts a host name to lowercase ASCII with the IDNA lookup
// profile, drops one trailing dot and checks the DNS length and syntax
// rules that the profile leaves out.
func asciiName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("is not valid UTF-8")
	}
	if err := hyphenProblem(s); err != nil {
		return "", err
	}
	name, err := idna.Lookup.ToASCII(s)
	if err != nil {
		return "", fmt.Errorf("is not a valid host name (%v)", err)
	}
	name = strings.TrimSuffix(name, ".")
	// The result must itself be a valid name: IDNA maps some invalid input
	// to punycode that does not decode (found by fuzzing).
	if again, err := idna.Lookup.ToASCII(name); err != nil || again != name {
		return "", errors.New("is not a valid host name")
	}
	if err := labelsProblem(name); err != nil {
		return "", err
	}
	return name, nil
}

// hyphenProblem checks hyphens before IDNA so the user gets a plain message
// instead of IDNA's "invalid label".
func hyphenProblem(s string) error {
	for label := range strings.SplitSeq(strings.TrimSuffix(s, "."), ".") {
		if strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return fmt.Errorf("has a label %q that starts or ends with a hyphen", label)
		}
	}
	return nil
}

// labelsProblem enforces the DNS limits on an ASCII name. The IDNA profile
// already restricts characters; checking again costs little and keeps
// anything unexpected out of lookups.
func labelsProblem(name string) error {
	if name == "" {
		return errors.New("is empty")
	}
	if len(name) > maxNameLen {
		return fmt.Errorf("is longer than %d characters", maxNameLen)
	}
	for label := range strings.SplitSeq(name, ".") {
		if err := labelProblem(label); err != nil {
			return err
		}
	}
	return nil
}

// labelProblem checks one ASCII label.
func labelProblem(label string) error {
	if label == "" {
		return errors.New("has an empty label")
	}
	if len(label) > maxLabelLen {
		return fmt.Errorf("has a label longer than %d characters", maxLabelLen)
	}
	for _, c := range label {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return fmt.Errorf("contains %q", c)
		}
	}
	return nil
}

// domainSyntaxProblem catches the usual ways people paste a URL or address
// instead of a bare domain, so the message can say what to remove.
func domainSyntaxProblem(s string) string {
	switch {
	case s == "":
		return "is empty"
	case strings.Contains(s, "://"):
		return "must not include a scheme such as https://"
	case IsIP(strings.Trim(s, "[]")):
		return "must be a domain name, not an IP address"
	case strings.ContainsAny(s, "/?#"):
		return "must not include a path"
	case strings.Contains(s, ":"):
		return "must not include a port"
	case strings.Contains(s, "*"):
		return "must not contain wildcards; add each domain separately"
	}
	return ""
}

// domainNameProblem applies the rules for custom domains to a valid ASCII name.
func domainNameProblem(name string) string {
	if name == "localhost" || hasReservedSuffix(name) {
		return "uses a special-use name that cannot be a public domain"
	}
	if !strings.Contains(name, ".") {
		return "needs at least two labels, such as example.com"
	}
	if isDigits(name[strings.LastIndexByte(name, '.')+1:]) {
		// Browsers parse such names as IPv4 addresses (e.g. "1.2.3").
		return "must not end in a number"
	}
	return ""
}

// hasReservedSuffix reports whether name ends in a special-use suffix.
func hasReservedSuffix(name string) bool {
	for _, suffix := range reservedDomainSuffixes {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

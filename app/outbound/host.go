package outbound

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrInvalidHost is returned (wrapped) for a host name that is not a
// canonical IP address and not a plain DNS name: the numeric IPv4 spellings
// (2852039166, 0xa9fea9fe, 0251.0376.0251.0376, 127.1) that C resolvers and
// browsers turn into addresses Go's own parser would never produce, so a
// check on the text and the address actually dialled could disagree.
var ErrInvalidHost = errors.New("invalid host")

// ValidHost refuses host (a URL's Hostname, without brackets or port)
// unless it is a canonical IPv4 or IPv6 address or a DNS name whose last
// label is not numeric. It runs before any resolution.
func ValidHost(host string) error {
	if host == "" {
		return fmt.Errorf("%w: no host", ErrInvalidHost)
	}
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return fmt.Errorf("%w: %q names an interface zone", ErrInvalidHost, host)
		}
		return nil
	}
	if endsInNumber(host) {
		return fmt.Errorf("%w: %q is not a canonical IPv4 address (write it as four decimal parts, like 10.0.0.1)", ErrInvalidHost, host)
	}
	for _, c := range host {
		if !(c == '-' || c == '.' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return fmt.Errorf("%w: %q is not a host name", ErrInvalidHost, host)
		}
	}
	return nil
}

// endsInNumber follows the URL standard's "ends in a number" test: a host
// whose last label (ignoring one trailing dot) is decimal digits or 0x-hex
// is parsed as IPv4 by browsers and by inet_aton, whatever the other labels.
func endsInNumber(host string) bool {
	labels := strings.Split(strings.TrimSuffix(host, "."), ".")
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if l := strings.ToLower(last); strings.HasPrefix(l, "0x") {
		return strings.Trim(l[2:], "0123456789abcdef") == ""
	}
	return strings.Trim(last, "0123456789") == ""
}

package ratelimit

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Class is a kind of route with its own limits.
type Class string

// Route classes.
const (
	ClassAuth   Class = "auth"   // sign-in attempts: password, OTP, OAuth2, reset and verification tokens
	ClassMail   Class = "mail"   // requests that email an address: OTP, password reset, verification, email change
	ClassSignup Class = "signup" // account creation
	ClassWrite  Class = "write"  // requests that change state
	ClassRead   Class = "read"   // requests that only read
	ClassLLM    Class = "llm"    // requests that start a model turn
)

// Scopes: whose bucket a request is charged to.
const (
	ScopeIP     = "ip"
	ScopeUser   = "user"
	ScopeTenant = "tenant"
	// ScopeAccount is a client IP and an account's identity together (see
	// AccountID), never the identity alone: an attacker elsewhere must
	// not be able to empty the bucket the account's owner signs in with.
	ScopeAccount = "account"
)

// AccountID is the ScopeAccount id of identity (a normalised email, user
// name or OTP id) asked for from ip. The space cannot occur in an IP
// address, so distinct pairs never share an id.
func AccountID(ip, identity string) string { return ip + " " + identity }

// keyPrefix namespaces every bucket in a Redis shared with other uses.
const keyPrefix = "nyx:rl:"

// maxPart bounds each escaped part of a key; longer ids are hashed, so a
// megabyte user name cannot make a megabyte key.
const maxPart = 96

// Key is the store key of one bucket, e.g. "nyx:rl:auth:ip:203.0.113.9".
// Each part is escaped, so ids taken from requests cannot contain the ":"
// separator or forge another bucket's key, and distinct ids never share a
// key: bytes outside [A-Za-z0-9._-] become %XX, and a part longer than
// maxPart after that becomes "~" and its SHA-256, a form no escaped part
// can take since "~" itself is escaped.
func Key(class Class, scope, id string) string {
	return keyPrefix + escape(string(class)) + ":" + escape(scope) + ":" + escape(id)
}

func escape(s string) string {
	if len(s) > maxPart { // cannot fit even unescaped
		return hashed(s)
	}
	clean := true
	for i := 0; i < len(s); i++ {
		clean = clean && safe(s[i])
	}
	if clean {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; safe(c) {
			b.WriteByte(c)
		} else {
			b.Write([]byte{'%', hex[c>>4], hex[c&15]})
		}
	}
	if b.Len() > maxPart {
		return hashed(s)
	}
	return b.String()
}

func safe(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

func hashed(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "~" + base64.RawURLEncoding.EncodeToString(sum[:])
}

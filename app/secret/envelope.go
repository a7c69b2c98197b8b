package secret

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// version is the only envelope format this build writes and reads.
const version = "v1"

const (
	nonceSize = 12 // the GCM standard nonce
	tagSize   = 16
)

// b64 is strict so each byte string has exactly one accepted encoding; see decodeField.
var b64 = base64.RawURLEncoding.Strict()

// envelope is a parsed, not yet authenticated, sealed value.
type envelope struct {
	kid        string
	nonce      []byte
	ciphertext []byte // ciphertext followed by the GCM tag
}

// KeyID returns the id of the key that sealed envelope without opening it,
// so rotation can find values not sealed with the current key. It validates
// the whole format and fails like Open does on a malformed envelope.
func KeyID(envelope string) (string, error) {
	e, err := parseEnvelope(envelope)
	if err != nil {
		return "", err
	}
	return e.kid, nil
}

func formatEnvelope(kid string, nonce, ciphertext []byte) string {
	var sb strings.Builder
	sb.Grow(len(version) + len(kid) + 3 + b64.EncodedLen(len(nonce)) + b64.EncodedLen(len(ciphertext)))
	sb.WriteString(version)
	sb.WriteByte(':')
	sb.WriteString(kid)
	sb.WriteByte(':')
	sb.WriteString(b64.EncodeToString(nonce))
	sb.WriteByte(':')
	sb.WriteString(b64.EncodeToString(ciphertext))
	return sb.String()
}

// parseEnvelope checks the version before the field count, so a future
// format with a different layout reports ErrUnknownVersion, not ErrMalformed.
func parseEnvelope(s string) (envelope, error) {
	ver, rest, _ := strings.Cut(s, ":")
	if ver != version {
		if isVersion(ver) {
			return envelope{}, ErrUnknownVersion
		}
		return envelope{}, fmt.Errorf("%w: no version prefix", ErrMalformed)
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 3 {
		return envelope{}, fmt.Errorf("%w: want 4 fields, got %d", ErrMalformed, len(parts)+1)
	}
	if !validID(parts[0]) {
		return envelope{}, fmt.Errorf("%w: bad key id", ErrMalformed)
	}
	nonce, err := decodeField(parts[1], "nonce")
	if err != nil {
		return envelope{}, err
	}
	if len(nonce) != nonceSize {
		return envelope{}, fmt.Errorf("%w: nonce is %d bytes, want %d", ErrMalformed, len(nonce), nonceSize)
	}
	ct, err := decodeField(parts[2], "ciphertext")
	if err != nil {
		return envelope{}, err
	}
	if len(ct) < tagSize {
		return envelope{}, fmt.Errorf("%w: ciphertext shorter than the tag", ErrMalformed)
	}
	return envelope{kid: parts[0], nonce: nonce, ciphertext: ct}, nil
}

// decodeField decodes base64url and insists the input was the canonical
// encoding: the decoder skips CR and LF, so without the check two different
// strings could open to the same value and a stored envelope could be
// altered without detection.
func decodeField(s, name string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err != nil || s == "" || b64.EncodeToString(b) != s {
		return nil, fmt.Errorf("%w: %s is not base64url without padding", ErrMalformed, name)
	}
	return b, nil
}

// isVersion reports whether s looks like a version tag: "v" and digits.
func isVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	for _, c := range []byte(s[1:]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

package secret

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// KeySize is the length in bytes of data keys and of the master key (AES-256).
const KeySize = 32

// Key ids are short so they cost little in every envelope, and restricted
// to [a-z0-9] so they never need escaping in the envelope or in a message.
const (
	minIDLen = 8
	maxIDLen = 16
)

// Key is one data key. Its String and Format methods print only the id, so
// a Key that ends up in a log line or an error does not leak its material.
type Key struct {
	ID        string
	Material  []byte // KeySize bytes
	CreatedAt time.Time
}

// NewKey returns a data key with a random 16-character id and random
// material, created now. The error is always nil today (crypto/rand cannot
// fail since Go 1.24); it is kept so callers need not change if key creation
// ever gains a failure mode, such as an external KMS.
func NewKey() (Key, error) {
	id := make([]byte, maxIDLen/2)
	material := make([]byte, KeySize)
	rand.Read(id)
	rand.Read(material)
	// UTC and microseconds, so the time survives a round trip through either
	// database unchanged and the newest key stays the newest after a reload.
	created := time.Now().UTC().Truncate(time.Microsecond)
	return Key{ID: hex.EncodeToString(id), Material: material, CreatedAt: created}, nil
}

// String returns the key's id in a form that cannot be mistaken for material.
func (k Key) String() string { return "secret.Key(" + k.ID + ")" }

// Format prints the key as String does for every verb, including %#v and %x.
func (k Key) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, k.String()) }

func (k Key) validate() error {
	if !validID(k.ID) {
		return fmt.Errorf("secret: key id must be %d-%d characters of [a-z0-9]", minIDLen, maxIDLen)
	}
	if len(k.Material) != KeySize {
		return fmt.Errorf("secret: key %s is %d bytes, want %d", k.ID, len(k.Material), KeySize)
	}
	return nil
}

// validID reports whether s is a well-formed key id.
func validID(s string) bool {
	if len(s) < minIDLen || len(s) > maxIDLen {
		return false
	}
	for _, c := range []byte(s) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var (
	_ fmt.Stringer  = Key{}
	_ fmt.Formatter = Key{}
)

package secret

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Keyring holds data keys. The newest key (by CreatedAt; of keys created at
// the same instant, the one added last) seals, and every key opens. It keeps
// only the expanded cipher of each key, never the caller's Material slice.
// The zero Keyring is empty: Seal fails until a key is added.
//
// A Keyring is safe for concurrent use: Add may run while Seal and Open do,
// and a Seal that starts after Add returns uses the new key if it is newest.
type Keyring struct {
	mu      sync.RWMutex
	keys    map[string]dataKey
	current string
}

type dataKey struct {
	aead    cipher.AEAD
	created time.Time
}

// NewKeyring returns a keyring holding keys. It needs at least one key, so
// Seal always has one to use, and rejects malformed keys and duplicate ids.
func NewKeyring(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("secret: keyring needs at least one key")
	}
	r := &Keyring{keys: make(map[string]dataKey, len(keys))}
	for _, k := range keys {
		if err := r.Add(k); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Add adds key to the keyring; it becomes the sealing key if it is the
// newest. Adding an id already present is an error even with the same
// material, because it means two stored rows claim one id. The caller may
// zero key.Material once Add returns.
func (r *Keyring) Add(key Key) error {
	if err := key.validate(); err != nil {
		return err
	}
	aead, err := newAEAD(key.Material)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = make(map[string]dataKey)
	}
	if _, ok := r.keys[key.ID]; ok {
		return fmt.Errorf("secret: duplicate key id %s", key.ID)
	}
	r.keys[key.ID] = dataKey{aead: aead, created: key.CreatedAt}
	if r.current == "" || !key.CreatedAt.Before(r.keys[r.current].created) {
		r.current = key.ID
	}
	return nil
}

// CurrentID returns the id of the key Seal uses now. Rotation compares it
// with KeyID of stored values to find those still to re-seal.
func (r *Keyring) CurrentID() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.current
}

// Seal encrypts plaintext with the current key, bound to ad, and returns
// the envelope. It does not keep plaintext.
func (r *Keyring) Seal(plaintext []byte, ad AD) (string, error) {
	if err := ad.validate(); err != nil {
		return "", err
	}
	r.mu.RLock()
	kid := r.current
	k, ok := r.keys[kid]
	r.mu.RUnlock()
	if !ok {
		return "", errors.New("secret: keyring has no keys")
	}
	return seal(k.aead, kid, plaintext, ad), nil
}

// Open decrypts an envelope sealed by any key of the keyring for the same
// ad. Errors wrap ErrMalformed, ErrUnknownVersion, ErrUnknownKey or
// ErrDecrypt; the returned plaintext is a fresh slice the caller owns.
func (r *Keyring) Open(envelope string, ad AD) ([]byte, error) {
	if err := ad.validate(); err != nil {
		return nil, err
	}
	e, err := parseEnvelope(envelope)
	if err != nil {
		return nil, err
	}
	r.mu.RLock()
	k, ok := r.keys[e.kid]
	r.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownKey, e.kid)
	}
	return open(k.aead, e, ad)
}

// String describes the keyring by its current key id and size.
func (r *Keyring) String() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return fmt.Sprintf("secret.Keyring(current=%s, keys=%d)", r.current, len(r.keys))
}

var _ fmt.Stringer = (*Keyring)(nil)

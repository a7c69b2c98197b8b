package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"fmt"
)

// newAEAD returns AES-256-GCM under material. The cipher keeps its own
// expanded copy of the key, so callers may zero material afterwards.
func newAEAD(material []byte) (cipher.AEAD, error) {
	if len(material) != KeySize {
		return nil, fmt.Errorf("secret: key is %d bytes, want %d", len(material), KeySize)
	}
	block, err := aes.NewCipher(material)
	if err != nil {
		return nil, fmt.Errorf("secret: aes: %w", err)
	}
	return cipher.NewGCM(block)
}

// seal encrypts plaintext under a fresh random nonce. Random 96-bit nonces
// stay safe for far more values than one data key will ever seal (the
// NIST bound is 2^32 per key), and need no counter shared between servers.
func seal(aead cipher.AEAD, kid string, plaintext []byte, ad AD) string {
	nonce := make([]byte, nonceSize)
	rand.Read(nonce)
	ct := aead.Seal(nil, nonce, plaintext, ad.encode(kid))
	return formatEnvelope(kid, nonce, ct)
}

// open authenticates and decrypts e in place, so the returned slice is the
// only copy of the plaintext.
func open(aead cipher.AEAD, e envelope, ad AD) ([]byte, error) {
	pt, err := aead.Open(e.ciphertext[:0], e.nonce, e.ciphertext, ad.encode(e.kid))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

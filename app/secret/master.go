package secret

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// HKDF labels. The master key itself never keys a cipher: separate derived
// keys wrap data keys and name the master, so publishing the id reveals
// nothing usable about the wrapping key.
const (
	wrapInfo = "nyxcore/secret/master/wrap/v1"
	idInfo   = "nyxcore/secret/master/id/v1"
	macInfo  = "nyxcore/secret/master/mac/v1"
	idBytes  = maxIDLen / 2
)

// Master is the key-encryption key. It wraps and unwraps data keys and
// never touches the database. It keeps only keys derived from the master
// key, and its String method prints only its id. Create one with
// ParseMaster or LoadMaster; it is safe for concurrent use.
type Master struct {
	id   string
	aead cipher.AEAD
	mac  []byte // HMAC key for MAC
	// auditChain and auditCheckpoint key the audit log (see AuditKeys).
	auditChain, auditCheckpoint []byte
}

// ParseMaster parses a 32-byte master key written as base64 (standard or
// URL alphabet, padded or not) or as 64 hex digits; surrounding whitespace
// is ignored. Errors describe what was wrong without repeating the value.
func ParseMaster(s string) (*Master, error) {
	raw, err := decodeMaster(strings.TrimSpace(s))
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	if len(raw) != KeySize {
		return nil, fmt.Errorf("secret: master key decodes to %d bytes, want %d", len(raw), KeySize)
	}
	if isZero(raw) {
		return nil, errors.New("secret: master key is all zero bytes, a placeholder rather than a key")
	}
	return newMaster(raw)
}

// decodeMaster decodes hex or base64. It never wraps the decoders' errors:
// encoding/hex quotes the offending character, which is part of the key.
func decodeMaster(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("secret: master key is empty")
	}
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return b, nil
		}
	}
	std := strings.NewReplacer("-", "+", "_", "/").Replace(strings.TrimRight(s, "="))
	if b, err := base64.RawStdEncoding.Strict().DecodeString(std); err == nil {
		return b, nil
	}
	if b, err := hex.DecodeString(s); err == nil {
		return b, nil
	}
	return nil, fmt.Errorf("secret: master key (%d characters) is neither base64 nor hex; "+
		"generate one with: openssl rand -base64 32", len(s))
}

func newMaster(raw []byte) (*Master, error) {
	wrap, err := hkdf.Key(sha256.New, raw, nil, wrapInfo, KeySize)
	if err != nil {
		return nil, fmt.Errorf("secret: derive wrapping key: %w", err)
	}
	defer clear(wrap)
	id, err := hkdf.Key(sha256.New, raw, nil, idInfo, idBytes)
	if err != nil {
		return nil, fmt.Errorf("secret: derive master id: %w", err)
	}
	mac, err := hkdf.Key(sha256.New, raw, nil, macInfo, KeySize)
	if err != nil {
		return nil, fmt.Errorf("secret: derive MAC key: %w", err)
	}
	aead, err := newAEAD(wrap)
	if err != nil {
		return nil, err
	}
	m := &Master{id: hex.EncodeToString(id), aead: aead, mac: mac}
	if m.auditChain, err = hkdf.Key(sha256.New, raw, nil, auditChainInfo, KeySize); err != nil {
		return nil, fmt.Errorf("secret: derive audit chain key: %w", err)
	}
	if m.auditCheckpoint, err = hkdf.Key(sha256.New, raw, nil, auditCheckpointInfo, KeySize); err != nil {
		return nil, fmt.Errorf("secret: derive audit checkpoint key: %w", err)
	}
	return m, nil
}

// ID returns a stable 16-character id derived one-way from the master key.
// It tells which master wrapped a data key, so a server started with the
// wrong NYX_MASTER_KEY says so instead of failing to decrypt.
func (m *Master) ID() string { return m.id }

// String returns the master's id in a form that cannot be mistaken for the key.
func (m *Master) String() string { return "secret.Master(" + m.id + ")" }

// WrapKey seals a data key's material for storage. The envelope has the
// v1 format with the master's id as kid, and is bound to the data key's id.
func (m *Master) WrapKey(k Key) (string, error) {
	if err := k.validate(); err != nil {
		return "", err
	}
	return seal(m.aead, m.id, k.Material, wrapAD(k.ID)), nil
}

// UnwrapKey opens a data key wrapped by WrapKey. The id must be the one the
// key was wrapped under, so swapping two stored rows' ids fails with
// ErrDecrypt; a key wrapped by another master fails with ErrUnknownKey.
// createdAt is not authenticated: databases round times differently, and a
// forged time only changes which valid key seals, not what anyone can read.
func (m *Master) UnwrapKey(id, wrapped string, createdAt time.Time) (Key, error) {
	if !validID(id) {
		return Key{}, fmt.Errorf("%w: bad key id", ErrMalformed)
	}
	e, err := parseEnvelope(wrapped)
	if err != nil {
		return Key{}, err
	}
	if e.kid != m.id {
		return Key{}, fmt.Errorf("%w: key %s is wrapped by master key %s, this server has %s", ErrUnknownKey, id, e.kid, m.id)
	}
	material, err := open(m.aead, e, wrapAD(id))
	if err != nil {
		return Key{}, err
	}
	if len(material) != KeySize {
		clear(material)
		return Key{}, fmt.Errorf("%w: wrapped key is %d bytes, want %d", ErrMalformed, len(material), KeySize)
	}
	return Key{ID: id, Material: material, CreatedAt: createdAt}, nil
}

// wrapAD binds a wrapped data key to its id.
func wrapAD(id string) AD { return AD{Purpose: "keyring:" + id} }

func isZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

var _ fmt.Stringer = (*Master)(nil)

package secret

import "errors"

// Errors returned by Open, KeyID and UnwrapKey; test them with errors.Is.
// Their messages never include plaintext or key material.
var (
	// ErrMalformed reports an envelope that cannot be parsed.
	ErrMalformed = errors.New("secret: malformed envelope")
	// ErrUnknownVersion reports an envelope of a format version this build does not know.
	ErrUnknownVersion = errors.New("secret: unknown envelope version")
	// ErrUnknownKey reports an envelope sealed with a key that is not in the
	// keyring, or a wrapped key sealed by another master key. Another server
	// may have added a data key since this keyring was loaded: reload the
	// keyring from the store and retry once before treating it as fatal.
	ErrUnknownKey = errors.New("secret: unknown key")
	// ErrDecrypt reports an authentication failure: the envelope was tampered
	// with, opened with the wrong AD, or sealed by a different key of the same id.
	ErrDecrypt = errors.New("secret: decryption failed")
)

// Errors returned by LoadMaster.
var (
	// ErrNoMasterKey reports that no master key is configured and none may be generated.
	ErrNoMasterKey = errors.New("secret: no master key: set NYX_MASTER_KEY or NYX_MASTER_KEY_FILE")
	// ErrInsecureKeyFile reports a master key file readable or writable by group or others.
	ErrInsecureKeyFile = errors.New("secret: master key file is accessible by group or others")
)

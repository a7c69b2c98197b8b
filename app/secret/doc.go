// Package secret encrypts values at rest: provider API keys and any other
// secret the data plane stores.
//
// It uses envelope encryption. A 32-byte master key, which never touches the
// database, wraps data keys; data keys seal secrets. The data plane stores
// the wrapped data keys, so rotation adds a data key without changing the
// master key and works the same when several servers share a master key
// from the environment.
//
// Every sealed value is a printable envelope
//
//	v1:<kid>:<nonce>:<ciphertext+tag>
//
// where kid names the key that sealed it and nonce and ciphertext are
// base64url without padding. The value is sealed with AES-256-GCM and bound,
// through the GCM additional data, to the envelope header and to an [AD]
// naming its tenant and purpose, so a ciphertext copied to another tenant or
// another field does not open.
package secret

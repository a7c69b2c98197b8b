package secret_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/secret"
)

var testAD = secret.AD{Tenant: "tenant1", Purpose: "provider:p1:api_key"}

func newKey(t testing.TB) secret.Key {
	t.Helper()
	k, err := secret.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// keyAt returns a fresh key with a chosen creation time, so tests decide which key is newest.
func keyAt(t testing.TB, id string, created time.Time) secret.Key {
	t.Helper()
	k := newKey(t)
	k.ID, k.CreatedAt = id, created
	return k
}

func newRing(t testing.TB, keys ...secret.Key) *secret.Keyring {
	t.Helper()
	r, err := secret.NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func seal(t testing.TB, r *secret.Keyring, plaintext string, ad secret.AD) string {
	t.Helper()
	env, err := r.Seal([]byte(plaintext), ad)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// editField rewrites field i (0 version, 1 kid, 2 nonce, 3 ciphertext) of an envelope.
func editField(env string, i int, f func(string) string) string {
	parts := strings.Split(env, ":")
	parts[i] = f(parts[i])
	return strings.Join(parts, ":")
}

// flipBit flips one bit of the decoded bytes of a base64url field; at < 0 counts from the end.
func flipBit(at int) func(string) string {
	return func(s string) string {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			panic(err)
		}
		if at < 0 {
			at += len(b)
		}
		b[at] ^= 0x01
		return base64.RawURLEncoding.EncodeToString(b)
	}
}

func reencode(n int) func(string) string {
	return func(string) string { return base64.RawURLEncoding.EncodeToString(make([]byte, n)) }
}

func constant(v string) func(string) string { return func(string) string { return v } }

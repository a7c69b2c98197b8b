package secret_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/secret"
)

func TestSealOpenRoundTrip(t *testing.T) {
	r := newRing(t, newKey(t))
	cases := []struct {
		name      string
		plaintext []byte
		ad        secret.AD
	}{
		{"api key", []byte("sk-live-0123456789abcdef"), testAD},
		{"empty plaintext", []byte{}, testAD},
		{"binary", []byte{0, 1, 2, 0xff, ':', '\n'}, testAD},
		{"large", bytes.Repeat([]byte("x"), 1<<16), testAD},
		{"global value", []byte("smtp-password"), secret.AD{Purpose: "smtp:password"}},
		{"separators in AD", []byte("v"), secret.AD{Tenant: "a:b\x00", Purpose: "c:d"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, err := r.Seal(c.plaintext, c.ad)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(env, "v1:"+r.CurrentID()+":") {
				t.Fatalf("envelope %q does not start with v1:<current kid>:", env)
			}
			got, err := r.Open(env, c.ad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, c.plaintext) {
				t.Fatalf("Open returned %d bytes, want the %d sealed", len(got), len(c.plaintext))
			}
		})
	}
}

func TestOpenRejectsTampering(t *testing.T) {
	k := keyAt(t, "key0000a", time.Unix(1, 0))
	other := keyAt(t, "key0000b", time.Unix(0, 0))
	r := newRing(t, k, other)
	env := seal(t, r, "sk-live-secret", testAD)
	cases := []struct {
		name string
		env  string
		want error
	}{
		{"version bit flipped to v3", editField(env, 0, constant("v3")), secret.ErrUnknownVersion},
		{"version bit flipped to w1", editField(env, 0, constant("w1")), secret.ErrMalformed},
		{"future version v2", "v2:" + strings.TrimPrefix(env, "v1:"), secret.ErrUnknownVersion},
		{"v2 with another layout", "v2:whatever", secret.ErrUnknownVersion},
		{"kid bit flipped to valid id", editField(env, 1, constant("key0000c")), secret.ErrUnknownKey},
		{"kid bit flipped to invalid char", editField(env, 1, constant("key0000A")), secret.ErrMalformed},
		{"kid of another ring key", editField(env, 1, constant(other.ID)), secret.ErrDecrypt},
		{"kid too short", editField(env, 1, constant("key0")), secret.ErrMalformed},
		{"kid too long", editField(env, 1, constant("key0000akey0000ak")), secret.ErrMalformed},
		{"nonce first bit", editField(env, 2, flipBit(0)), secret.ErrDecrypt},
		{"nonce last bit", editField(env, 2, flipBit(-1)), secret.ErrDecrypt},
		{"ciphertext first bit", editField(env, 3, flipBit(0)), secret.ErrDecrypt},
		{"tag last bit", editField(env, 3, flipBit(-1)), secret.ErrDecrypt},
		{"tag first bit", editField(env, 3, flipBit(-16)), secret.ErrDecrypt},
		{"nonce of 16 bytes", editField(env, 2, reencode(16)), secret.ErrMalformed},
		{"nonce of 11 bytes", editField(env, 2, reencode(11)), secret.ErrMalformed},
		{"ciphertext shorter than tag", editField(env, 3, reencode(15)), secret.ErrMalformed},
		{"bare tag of zeros", editField(env, 3, reencode(16)), secret.ErrDecrypt},
		{"extra field", env + ":AAAA", secret.ErrMalformed},
		{"extra empty field", env + ":", secret.ErrMalformed},
		{"empty string", "", secret.ErrMalformed},
		{"only separators", ":::", secret.ErrMalformed},
		{"empty version", editField(env, 0, constant("")), secret.ErrMalformed},
		{"empty kid", editField(env, 1, constant("")), secret.ErrMalformed},
		{"empty nonce", editField(env, 2, constant("")), secret.ErrMalformed},
		{"empty ciphertext", editField(env, 3, constant("")), secret.ErrMalformed},
		{"padded nonce", editField(env, 2, func(s string) string { return s + "=" }), secret.ErrMalformed},
		{"std alphabet", editField(env, 3, func(s string) string { return "+/" + s[2:] }), secret.ErrMalformed},
		{"newline inside base64", editField(env, 3, func(s string) string { return s[:4] + "\n" + s[4:] }), secret.ErrMalformed},
		{"trailing newline", env + "\n", secret.ErrMalformed},
		{"leading space", " " + env, secret.ErrMalformed},
		// 16 zero bytes are "AAAAAAAAAAAAAAAAAAAAAA"; a lax decoder ignores the last character's low bits.
		{"non-canonical base64", editField(env, 3, constant("AAAAAAAAAAAAAAAAAAAAAB")), secret.ErrMalformed},
		{"garbage", "not an envelope", secret.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.env == env {
				t.Fatal("case did not change the envelope")
			}
			got, err := r.Open(c.env, testAD)
			if !errors.Is(err, c.want) {
				t.Fatalf("Open error = %v, want %v", err, c.want)
			}
			if got != nil {
				t.Fatal("Open returned plaintext along with an error")
			}
		})
	}
}

// TestOpenRejectsEveryTruncation cuts the envelope at each position: only a
// cut inside the ciphertext may still parse, and then authentication fails.
func TestOpenRejectsEveryTruncation(t *testing.T) {
	r := newRing(t, newKey(t))
	env := seal(t, r, "sk-live-secret", testAD)
	lastSep := strings.LastIndex(env, ":")
	for n := range len(env) {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			_, err := r.Open(env[:n], testAD)
			ok := errors.Is(err, secret.ErrMalformed) || (n > lastSep && errors.Is(err, secret.ErrDecrypt))
			if !ok {
				t.Fatalf("Open(envelope[:%d]) error = %v", n, err)
			}
		})
	}
}

// TestOpenRejectsMovedCiphertext copies a value to another tenant or field.
func TestOpenRejectsMovedCiphertext(t *testing.T) {
	r := newRing(t, newKey(t))
	cases := []struct {
		name       string
		sealed, as secret.AD
	}{
		{"other tenant", testAD, secret.AD{Tenant: "tenant2", Purpose: testAD.Purpose}},
		{"other field", testAD, secret.AD{Tenant: testAD.Tenant, Purpose: "provider:p1:base_url"}},
		{"other provider", testAD, secret.AD{Tenant: testAD.Tenant, Purpose: "provider:p2:api_key"}},
		{"tenant value read as global", testAD, secret.AD{Purpose: testAD.Purpose}},
		{"global value read by tenant", secret.AD{Purpose: "smtp:password"}, secret.AD{Tenant: "tenant1", Purpose: "smtp:password"}},
		{"colon moved between fields", secret.AD{Tenant: "a:b", Purpose: "c"}, secret.AD{Tenant: "a", Purpose: "b:c"}},
		{"text moved between fields", secret.AD{Tenant: "ab", Purpose: "c"}, secret.AD{Tenant: "a", Purpose: "bc"}},
		{"tenant and purpose swapped", secret.AD{Tenant: "x", Purpose: "y"}, secret.AD{Tenant: "y", Purpose: "x"}},
		{"NUL suffix", secret.AD{Tenant: "a", Purpose: "b"}, secret.AD{Tenant: "a\x00", Purpose: "b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := seal(t, r, "sk-live-secret", c.sealed)
			if _, err := r.Open(env, c.as); !errors.Is(err, secret.ErrDecrypt) {
				t.Fatalf("Open with %+v error = %v, want ErrDecrypt", c.as, err)
			}
		})
	}
}

func TestOpenWithWrongKey(t *testing.T) {
	k := newKey(t)
	impostor := newKey(t)
	impostor.ID = k.ID // same id, different material: e.g. a restored row from another install
	env := seal(t, newRing(t, k), "sk-live-secret", testAD)
	cases := []struct {
		name string
		ring *secret.Keyring
		want error
	}{
		{"key missing", newRing(t, newKey(t)), secret.ErrUnknownKey},
		{"same id, other material", newRing(t, impostor), secret.ErrDecrypt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := c.ring.Open(env, testAD); !errors.Is(err, c.want) {
				t.Fatalf("Open error = %v, want %v", err, c.want)
			}
		})
	}
}

func TestSealAndOpenRequirePurpose(t *testing.T) {
	r := newRing(t, newKey(t))
	if _, err := r.Seal([]byte("v"), secret.AD{Tenant: "t"}); err == nil {
		t.Fatal("Seal accepted an AD without purpose")
	}
	env := seal(t, r, "v", testAD)
	if _, err := r.Open(env, secret.AD{Tenant: "t"}); err == nil {
		t.Fatal("Open accepted an AD without purpose")
	}
}

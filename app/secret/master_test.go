package secret_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/secret"
)

// masterBytes starts with bytes whose standard base64 is "++++////", so the
// standard and URL encodings of the key differ.
func masterBytes(n int) []byte {
	b := make([]byte, n)
	copy(b, []byte{0xfb, 0xef, 0xbe, 0xff, 0xff, 0xff})
	for i := 6; i < n; i++ {
		b[i] = byte(i)
	}
	return b
}

func newMaster(t testing.TB) *secret.Master {
	t.Helper()
	m, err := secret.ParseMaster(base64.StdEncoding.EncodeToString(masterBytes(32)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func otherMaster(t testing.TB) *secret.Master {
	t.Helper()
	m, err := secret.ParseMaster(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseMasterAccepts(t *testing.T) {
	key := masterBytes(32)
	want := newMaster(t).ID()
	cases := []struct{ name, in string }{
		{"base64 std padded", base64.StdEncoding.EncodeToString(key)},
		{"base64 std raw", base64.RawStdEncoding.EncodeToString(key)},
		{"base64 url padded", base64.URLEncoding.EncodeToString(key)},
		{"base64 url raw", base64.RawURLEncoding.EncodeToString(key)},
		{"hex lower", hex.EncodeToString(key)},
		{"hex upper", strings.ToUpper(hex.EncodeToString(key))},
		{"trailing newline", base64.StdEncoding.EncodeToString(key) + "\n"},
		{"surrounding spaces", "  " + hex.EncodeToString(key) + "\t"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := secret.ParseMaster(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if m.ID() != want {
				t.Fatalf("ID = %q, want %q: one key, one id, whatever the encoding", m.ID(), want)
			}
		})
	}
}

func TestParseMasterRejects(t *testing.T) {
	cases := []struct{ name, in string }{
		{"empty", ""},
		{"blank", " \n"},
		{"base64 of 31 bytes", base64.StdEncoding.EncodeToString(masterBytes(31))},
		{"base64 of 33 bytes", base64.StdEncoding.EncodeToString(masterBytes(33))},
		{"base64url of 31 bytes", base64.RawURLEncoding.EncodeToString(masterBytes(31))},
		{"hex of 31 bytes", hex.EncodeToString(masterBytes(31))},
		{"hex of 33 bytes", hex.EncodeToString(masterBytes(33))},
		{"hex with a bad digit", hex.EncodeToString(masterBytes(31)) + "zq"},
		{"garbage", "correct-horse-battery-staple-passphrase"},
		{"passphrase of 32 chars", "this-is-my-32-character-password"},
		{"non-canonical base64", base64.RawStdEncoding.EncodeToString(masterBytes(32))[:42] + "B"},
		{"all zero", base64.StdEncoding.EncodeToString(make([]byte, 32))},
		{"key with inner space", hex.EncodeToString(masterBytes(16)) + " " + hex.EncodeToString(masterBytes(16))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := secret.ParseMaster(c.in)
			if err == nil {
				t.Fatalf("ParseMaster accepted it (id %s)", m.ID())
			}
			if in := strings.TrimSpace(c.in); len(in) >= 8 && (strings.Contains(err.Error(), in) || strings.Contains(err.Error(), in[:8])) {
				t.Fatalf("error echoes the key: %v", err)
			}
		})
	}
}

func TestParseMasterErrorEchoesNoCharacter(t *testing.T) {
	// encoding/hex would report "invalid byte: U+0067 'g'", part of the key.
	_, err := secret.ParseMaster(strings.Repeat("0", 63) + "g")
	if err == nil || strings.Contains(err.Error(), "'g'") || strings.Contains(err.Error(), "U+0067") {
		t.Fatalf("error = %v", err)
	}
}

func TestMasterIDIsStableAndNotTheKey(t *testing.T) {
	m := newMaster(t)
	if m.ID() != newMaster(t).ID() {
		t.Fatal("ID differs between two parses of one key")
	}
	if m.ID() == otherMaster(t).ID() {
		t.Fatal("two keys share an id")
	}
	keyHex := hex.EncodeToString(masterBytes(32))
	if len(m.ID()) != 16 || strings.Contains(keyHex, m.ID()) {
		t.Fatalf("ID %q is not a 16-char id independent of the key", m.ID())
	}
	for _, out := range []string{m.String(), fmt.Sprintf("%v|%+v|%#v|%x", m, m, m, m)} {
		if strings.Contains(out, keyHex[:12]) {
			t.Fatalf("printing the master leaks the key: %s", out)
		}
	}
}

func TestWrapUnwrapRoundTrip(t *testing.T) {
	m := newMaster(t)
	k := newKey(t)
	wrapped, err := m.WrapKey(k)
	if err != nil {
		t.Fatal(err)
	}
	if kid, err := secret.KeyID(wrapped); err != nil || kid != m.ID() {
		t.Fatalf("wrapped key's kid = %q, %v; want the master id %q", kid, err, m.ID())
	}
	if strings.Contains(wrapped, base64.RawURLEncoding.EncodeToString(k.Material)) {
		t.Fatal("wrapped key contains the material")
	}
	got, err := m.UnwrapKey(k.ID, wrapped, k.CreatedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != k.ID || !bytes.Equal(got.Material, k.Material) || !got.CreatedAt.Equal(k.CreatedAt) {
		t.Fatalf("UnwrapKey = %v created %v, want %v created %v", got, got.CreatedAt, k, k.CreatedAt)
	}
	// The unwrapped key must work in a keyring in place of the original.
	env := seal(t, newRing(t, k), "v", testAD)
	if p, err := newRing(t, got).Open(env, testAD); err != nil || string(p) != "v" {
		t.Fatalf("unwrapped key does not open: %v", err)
	}
}

func TestUnwrapRejects(t *testing.T) {
	m := newMaster(t)
	k, other := newKey(t), newKey(t)
	wrapped, err := m.WrapKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		master  *secret.Master
		id      string
		wrapped string
		want    error
	}{
		{"another master", otherMaster(t), k.ID, wrapped, secret.ErrUnknownKey},
		{"another master's id forged in", otherMaster(t), k.ID, editField(wrapped, 1, constant(otherMaster(t).ID())), secret.ErrDecrypt},
		{"wrapped key under another id", m, other.ID, wrapped, secret.ErrDecrypt},
		{"invalid id", m, "Not-An-Id", wrapped, secret.ErrMalformed},
		{"tampered", m, k.ID, editField(wrapped, 3, flipBit(0)), secret.ErrDecrypt},
		{"truncated", m, k.ID, wrapped[:len(wrapped)-4], secret.ErrDecrypt},
		{"not an envelope", m, k.ID, "garbage", secret.ErrMalformed},
		{"future version", m, k.ID, "v2" + wrapped[2:], secret.ErrUnknownVersion},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.master.UnwrapKey(c.id, c.wrapped, time.Now())
			if !errors.Is(err, c.want) {
				t.Fatalf("UnwrapKey error = %v, want %v", err, c.want)
			}
			if got.Material != nil {
				t.Fatal("UnwrapKey returned material along with an error")
			}
		})
	}
}

func TestWrapKeyRejectsBadKeys(t *testing.T) {
	m := newMaster(t)
	cases := []struct {
		name string
		key  secret.Key
	}{
		{"short material", secret.Key{ID: "abcdefgh", Material: make([]byte, 16)}},
		{"bad id", secret.Key{ID: "x", Material: make([]byte, 32)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := m.WrapKey(c.key); err == nil {
				t.Fatal("WrapKey accepted it")
			}
		})
	}
}

// TestDataKeyCannotOpenAsWrapped checks a secret sealed with a data key
// whose purpose imitates a wrapped key still does not unwrap.
func TestDataKeyCannotOpenAsWrapped(t *testing.T) {
	m := newMaster(t)
	k := newKey(t)
	fake := seal(t, newRing(t, k), string(make([]byte, 32)), secret.AD{Purpose: "keyring:" + k.ID})
	if _, err := m.UnwrapKey(k.ID, fake, time.Now()); !errors.Is(err, secret.ErrUnknownKey) {
		t.Fatalf("UnwrapKey error = %v, want ErrUnknownKey", err)
	}
}

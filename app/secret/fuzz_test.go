package secret_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/secret"
)

// fuzzMaterial and fuzzSeeds are fixed rather than random: the fuzzing
// engine runs the target in several worker processes, and each must know
// which envelopes are genuine. fuzzSeeds were sealed once with
// Key{ID: "fuzzkey1", Material: fuzzMaterial()} for fuzzAD.
var (
	fuzzAD    = secret.AD{Tenant: "tenant1", Purpose: "provider:p1:api_key"}
	fuzzSeeds = map[string]string{ // envelope -> plaintext
		"v1:fuzzkey1:C7DRvjYVD6Na6yOp:8VscPwBbajnJxdxjj8mr1Q":                         "",
		"v1:fuzzkey1:-_ZPx9FpCDTSuxPd:yIpw_kNiEF8dkIpkmA_HDmT-tBczYtsbcWE_Jdqx75pOwg": "sk-test-0123456789",
		"v1:fuzzkey1:lpwPoj4SCxRc19CP:JV7LIYiHHysqLZdBnxK1VVM":                        "x",
	}
)

func fuzzMaterial() []byte {
	b := make([]byte, secret.KeySize)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

// FuzzOpen checks Open never panics and accepts nothing but the genuine
// envelopes, returning their own plaintext.
func FuzzOpen(f *testing.F) {
	r, err := secret.NewKeyring(secret.Key{ID: "fuzzkey1", Material: fuzzMaterial()})
	if err != nil {
		f.Fatal(err)
	}
	for env := range fuzzSeeds {
		f.Add(env)
		f.Add(env[:len(env)-1])
		f.Add(env + "A")
		f.Add(strings.Replace(env, "v1:", "v2:", 1))
		f.Add(strings.Replace(env, "fuzzkey1", "fuzzkey2", 1))
		f.Add(env[:20] + "\n" + env[20:])                 // the base64 decoder skips newlines
		f.Add(env[:len(env)-2] + "\r" + env[len(env)-2:]) // and carriage returns
	}
	for _, s := range []string{"", ":", ":::", "v1", "v1:::", "v1:fuzzkey1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA", "v1:fuzzkey1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAB", "v1:fuzzkey1:AA\nAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, env string) {
		got, err := r.Open(env, fuzzAD)
		kid, kidErr := secret.KeyID(env)
		if err != nil {
			if got != nil {
				t.Fatal("Open returned plaintext with an error")
			}
			return
		}
		want, genuine := fuzzSeeds[env]
		if !genuine {
			t.Fatalf("Open accepted a forged envelope %q", env)
		}
		if !bytes.Equal(got, []byte(want)) {
			t.Fatalf("Open(%q) = %q, want %q", env, got, want)
		}
		if kidErr != nil || kid != "fuzzkey1" {
			t.Fatalf("KeyID disagrees with Open: %q, %v", kid, kidErr)
		}
	})
}

// FuzzParseMaster checks ParseMaster never panics and that what it accepts
// behaves as a master key.
func FuzzParseMaster(f *testing.F) {
	for _, s := range []string{
		"", " ", strings.Repeat("ab", 32), strings.Repeat("ab", 31), strings.Repeat("0", 63) + "g",
		"++++////BgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "----____BgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "====", "-_+/", "\n\r\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := secret.ParseMaster(s)
		if err != nil {
			return
		}
		if len(m.ID()) != 16 {
			t.Fatalf("ID %q is not 16 characters", m.ID())
		}
		k := secret.Key{ID: "fuzzkey1", Material: fuzzMaterial()}
		wrapped, err := m.WrapKey(k)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := m.UnwrapKey(k.ID, wrapped, k.CreatedAt); err != nil || !bytes.Equal(got.Material, k.Material) {
			t.Fatalf("wrap round trip failed: %v", err)
		}
	})
}

package secret_test

import (
	"testing"
)

func BenchmarkSeal(b *testing.B) {
	r := newRing(b, newKey(b))
	plaintext := []byte("sk-live-0123456789abcdef0123456789abcdef0123456789abcdef01234567")
	b.SetBytes(int64(len(plaintext)))
	for b.Loop() {
		if _, err := r.Seal(plaintext, testAD); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	r := newRing(b, newKey(b))
	env := seal(b, r, "sk-live-0123456789abcdef0123456789abcdef0123456789abcdef01234567", testAD)
	b.SetBytes(64)
	for b.Loop() {
		if _, err := r.Open(env, testAD); err != nil {
			b.Fatal(err)
		}
	}
}

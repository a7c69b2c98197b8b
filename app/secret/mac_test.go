package secret

import (
	"bytes"
	"testing"
)

func TestMACIsStablePerMasterAndSeparatesInputs(t *testing.T) {
	a1, _ := ParseMaster("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
	a2, _ := ParseMaster("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	b, _ := ParseMaster("AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8")
	base := a1.MAC("domain", "tenant", "chat.example.com")
	if !bytes.Equal(base, a2.MAC("domain", "tenant", "chat.example.com")) {
		t.Fatal("the same master key (base64 and hex) gave different MACs")
	}
	for name, other := range map[string][]byte{
		"another master key":  b.MAC("domain", "tenant", "chat.example.com"),
		"another purpose":     a1.MAC("other", "tenant", "chat.example.com"),
		"parts shifted":       a1.MAC("domain", "tenantchat.", "example.com"),
		"another domain":      a1.MAC("domain", "tenant", "chat.example.org"),
		"purpose joined part": a1.MAC("domaintenant", "chat.example.com"),
	} {
		if bytes.Equal(base, other) {
			t.Errorf("%s gave the same MAC", name)
		}
	}
}

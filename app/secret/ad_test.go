package secret

import (
	"bytes"
	"testing"
)

// TestADEncodingIsUnambiguous checks pairs a naive join would confuse.
func TestADEncodingIsUnambiguous(t *testing.T) {
	cases := []struct {
		name string
		kidA string
		a    AD
		kidB string
		b    AD
	}{
		{"colon moved from tenant to purpose", "kid00001", AD{"a:b", "c"}, "kid00001", AD{"a", "b:c"}},
		{"text moved between fields", "kid00001", AD{"ab", "c"}, "kid00001", AD{"a", "bc"}},
		{"empty tenant vs empty purpose", "kid00001", AD{"", "a"}, "kid00001", AD{"a", ""}},
		{"fields swapped", "kid00001", AD{"x", "y"}, "kid00001", AD{"y", "x"}},
		{"length byte smuggled in", "kid00001", AD{"a\x01b", "c"}, "kid00001", AD{"a", "b\x01c"}},
		{"kid moved into tenant", "kid000011", AD{"", "p"}, "kid00001", AD{"1", "p"}},
		{"other kid", "kid00001", AD{"t", "p"}, "kid00002", AD{"t", "p"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if bytes.Equal(c.a.encode(c.kidA), c.b.encode(c.kidB)) {
				t.Fatalf("%q %+v and %q %+v encode the same", c.kidA, c.a, c.kidB, c.b)
			}
		})
	}
}

// TestADEncodingIsStable pins the bytes: a change would make every stored
// envelope fail to open, so it must come with a new adTag and a migration.
func TestADEncodingIsStable(t *testing.T) {
	got := AD{Tenant: "t1", Purpose: "provider:p1:api_key"}.encode("kid00001")
	want := []byte("nyxcore/secret/ad/v1\x08kid00001\x02t1\x13provider:p1:api_key")
	if !bytes.Equal(got, want) {
		t.Fatalf("encode = %q, want %q", got, want)
	}
}

package secret_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/secret"
)

func TestNewestKeySeals(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	oldest := keyAt(t, "oldest01", t0)
	middle := keyAt(t, "middle01", t0.Add(time.Hour))
	newest := keyAt(t, "newest01", t0.Add(2*time.Hour))
	tieA := keyAt(t, "tiea0001", t0)
	tieB := keyAt(t, "tieb0001", t0)
	cases := []struct {
		name string
		keys []secret.Key
		want string
	}{
		{"single", []secret.Key{oldest}, "oldest01"},
		{"in order", []secret.Key{oldest, middle, newest}, "newest01"},
		{"newest first", []secret.Key{newest, oldest, middle}, "newest01"},
		{"tie goes to the later added", []secret.Key{tieA, tieB}, "tieb0001"},
		{"tie, other order", []secret.Key{tieB, tieA}, "tiea0001"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRing(t, c.keys...)
			if got := r.CurrentID(); got != c.want {
				t.Fatalf("CurrentID = %q, want %q", got, c.want)
			}
			if id, err := secret.KeyID(seal(t, r, "v", testAD)); err != nil || id != c.want {
				t.Fatalf("sealed with %q (%v), want %q", id, err, c.want)
			}
		})
	}
}

// TestRotationKeepsOldValuesReadable adds keys one by one, as `nyxcore keys
// rotate` does, and checks every value sealed on the way still opens.
func TestRotationKeepsOldValuesReadable(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := newRing(t, keyAt(t, "gen00000", t0))
	sealed := map[string]string{} // envelope -> plaintext
	for gen := range 4 {
		if gen > 0 {
			k := keyAt(t, fmt.Sprintf("gen%05d", gen), t0.Add(time.Duration(gen)*time.Hour))
			if err := r.Add(k); err != nil {
				t.Fatal(err)
			}
			if r.CurrentID() != k.ID {
				t.Fatalf("after Add, CurrentID = %q, want %q", r.CurrentID(), k.ID)
			}
		}
		p := fmt.Sprintf("secret-%d", gen)
		sealed[seal(t, r, p, testAD)] = p
	}
	for env, want := range sealed {
		got, err := r.Open(env, testAD)
		if err != nil || string(got) != want {
			t.Fatalf("Open(%q) = %q, %v; want %q", env, got, err, want)
		}
	}
	older := keyAt(t, "restored", t0.Add(-time.Hour))
	if err := r.Add(older); err != nil || r.CurrentID() != "gen00003" {
		t.Fatalf("adding an older key changed the sealing key to %q (%v)", r.CurrentID(), err)
	}
}

func TestKeyringRejectsBadKeys(t *testing.T) {
	good := newKey(t)
	cases := []struct {
		name string
		keys []secret.Key
	}{
		{"no keys", nil},
		{"short material", []secret.Key{{ID: "abcdefgh", Material: make([]byte, 31)}}},
		{"long material", []secret.Key{{ID: "abcdefgh", Material: make([]byte, 33)}}},
		{"AES-128 size", []secret.Key{{ID: "abcdefgh", Material: make([]byte, 16)}}},
		{"nil material", []secret.Key{{ID: "abcdefgh"}}},
		{"id too short", []secret.Key{{ID: "abcdefg", Material: make([]byte, 32)}}},
		{"id too long", []secret.Key{{ID: "abcdefghabcdefghi", Material: make([]byte, 32)}}},
		{"id with colon", []secret.Key{{ID: "abcd:efgh", Material: make([]byte, 32)}}},
		{"id upper case", []secret.Key{{ID: "ABCDEFGH", Material: make([]byte, 32)}}},
		{"duplicate id", []secret.Key{good, good}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := secret.NewKeyring(c.keys...); err == nil {
				t.Fatal("NewKeyring accepted it")
			}
		})
	}
	r := newRing(t, good)
	if err := r.Add(good); err == nil {
		t.Fatal("Add accepted a duplicate id")
	}
}

// TestAddWhileSealing is meant for -race: keys arrive while other
// goroutines seal and open, and every value must still open afterwards.
func TestAddWhileSealing(t *testing.T) {
	t0 := time.Now()
	r := newRing(t, keyAt(t, "start000", t0))
	const workers, perWorker, adds = 8, 200, 20
	added := make([]secret.Key, adds) // made here: t.Fatal must not run in another goroutine
	for i := range added {
		added[i] = keyAt(t, fmt.Sprintf("added%03d", i), t0.Add(time.Duration(i+1)*time.Second))
	}
	envs := make(chan string, workers*perWorker)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range perWorker {
				env, err := r.Seal([]byte("v"), testAD)
				if err == nil {
					_, err = r.Open(env, testAD)
				}
				if err != nil {
					t.Error(err)
					return
				}
				envs <- env
			}
		})
	}
	wg.Go(func() {
		for _, k := range added {
			if err := r.Add(k); err != nil {
				t.Error(err)
			}
			_ = r.CurrentID()
		}
	})
	wg.Wait()
	close(envs)
	for env := range envs {
		if _, err := r.Open(env, testAD); err != nil {
			t.Fatalf("Open after rotation: %v", err)
		}
	}
	if r.CurrentID() != fmt.Sprintf("added%03d", adds-1) {
		t.Fatalf("CurrentID = %q after all adds", r.CurrentID())
	}
}

func TestNoncesAreUnique(t *testing.T) {
	r := newRing(t, newKey(t))
	const n = 20000
	seen := make(map[string]bool, n)
	for range n {
		nonce := strings.Split(seal(t, r, "same plaintext", testAD), ":")[2]
		if seen[nonce] {
			t.Fatalf("nonce %s repeated", nonce)
		}
		seen[nonce] = true
	}
}

func TestKeyID(t *testing.T) {
	k := newKey(t)
	env := seal(t, newRing(t, k), "v", testAD)
	cases := []struct {
		name    string
		env     string
		want    string
		wantErr error
	}{
		{"valid", env, k.ID, nil},
		{"unknown version", "v9:" + strings.TrimPrefix(env, "v1:"), "", secret.ErrUnknownVersion},
		{"malformed", env + ":x", "", secret.ErrMalformed},
		{"bad nonce", editField(env, 2, constant("!!")), "", secret.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := secret.KeyID(c.env)
			if got != c.want || !errors.Is(err, c.wantErr) {
				t.Fatalf("KeyID = %q, %v; want %q, %v", got, err, c.want, c.wantErr)
			}
		})
	}
}

func TestNewKey(t *testing.T) {
	a, b := newKey(t), newKey(t)
	if a.ID == b.ID || string(a.Material) == string(b.Material) {
		t.Fatal("two new keys share an id or material")
	}
	if len(a.Material) != secret.KeySize || len(a.ID) != 16 {
		t.Fatalf("new key has a %d-char id and %d bytes", len(a.ID), len(a.Material))
	}
	if time.Since(a.CreatedAt) > time.Minute || a.CreatedAt.Location() != time.UTC {
		t.Fatalf("CreatedAt = %v, want now in UTC", a.CreatedAt)
	}
}

// TestKeyPrintsNoMaterial guards against a Key reaching a log or an error.
func TestKeyPrintsNoMaterial(t *testing.T) {
	k := newKey(t)
	k.Material = []byte("MATERIAL-MATERIAL-MATERIAL-12345")
	r := newRing(t, k)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%d", "%q"} {
		for _, v := range []any{k, &k, []secret.Key{k}, r} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, "MATERIAL") || strings.Contains(out, "4d41544552") || strings.Contains(out, "77 65 84") {
				t.Fatalf("fmt %s of %T leaks material: %s", verb, v, out)
			}
		}
	}
}

func TestZeroKeyring(t *testing.T) {
	var r secret.Keyring
	if _, err := r.Seal([]byte("v"), testAD); err == nil {
		t.Fatal("an empty keyring sealed")
	}
	if err := r.Add(newKey(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Open(seal(t, &r, "v", testAD), testAD); err != nil {
		t.Fatal(err)
	}
}

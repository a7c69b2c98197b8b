package outbound_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/nyxcore/nyxcore/app/outbound"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		spec, addr string
		ok         bool
	}{
		{"", "93.184.216.34", true},
		{"", "2606:4700::1111", true},
		{"", "127.0.0.1", false},
		{"", "::1", false},
		{"", "::ffff:127.0.0.1", false},
		{"loopback", "127.0.0.1", true},
		{"loopback", "127.9.9.9", true},
		{"", "10.1.2.3", false},
		{"", "192.168.1.50", false},
		{"", "172.16.0.1", false},
		{"", "100.64.1.1", false},
		{"", "fd12::1", false},
		{"private", "192.168.1.50", true},
		{"private", "127.0.0.1", false},
		{"", "169.254.169.254", false},
		{"private,loopback", "169.254.169.254", false},
		{"169.254.0.0/16", "169.254.169.254", true},
		{"", "fe80::1", false},
		{"", "0.0.0.0", false},
		{"", "224.0.0.1", false},
		{"10.20.0.0/16", "10.20.3.4", true},
		{"10.20.0.0/16", "10.21.3.4", false},
		{"192.168.1.50", "192.168.1.50", true},
	}
	for _, c := range cases {
		p, err := outbound.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		err = p.Check(netip.MustParseAddr(c.addr))
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, outbound.ErrForbidden)) {
			t.Errorf("Parse(%q).Check(%s) = %v, want ok=%v", c.spec, c.addr, err, c.ok)
		}
	}
	if _, err := outbound.Parse("loopback,not-a-cidr"); err == nil {
		t.Error("a bad allow list was accepted")
	}
}

func TestCheckURLResolvesNames(t *testing.T) {
	p, _ := outbound.Parse("")
	ctx := context.Background()
	for _, u := range []string{"http://localhost:11434", "http://127.0.0.1/", "http://[::1]:8080", "http://169.254.169.254/latest/meta-data"} {
		if err := p.CheckURL(ctx, u); !errors.Is(err, outbound.ErrForbidden) {
			t.Errorf("CheckURL(%s) = %v, want refused", u, err)
		}
	}
	if err := p.CheckURL(ctx, "http://no-such-host.invalid/"); err != nil {
		t.Errorf("a name that does not resolve now must be left to the connection-time check: %v", err)
	}
	allow, _ := outbound.Parse("loopback")
	if err := allow.CheckURL(ctx, "http://localhost:11434"); err != nil {
		t.Errorf("loopback allowed, localhost refused: %v", err)
	}
}

// TestTransportChecksEveryConnection: even a URL that passed no check is
// refused when the socket would reach a forbidden address.
func TestTransportChecksEveryConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer srv.Close()
	strict, _ := outbound.Parse("")
	_, err := strict.Client().Get(srv.URL)
	if err == nil || !strings.Contains(err.Error(), "outbound address not allowed") {
		t.Fatalf("GET through the strict policy = %v", err)
	}
	open, _ := outbound.Parse("loopback")
	res, err := open.Client().Get(srv.URL)
	if err != nil {
		t.Fatalf("GET with loopback allowed: %v", err)
	}
	res.Body.Close()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"loopback", "private,10.0.0.0/8", "::1", "garbage,,", "1.2.3.4/33"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		p, err := outbound.Parse(spec)
		if err == nil {
			p.Check(netip.MustParseAddr("127.0.0.1")) //nolint:errcheck // must not panic
		}
	})
}

package outbound_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/nyxcore/nyxcore/app/certs/certstest"
	"github.com/nyxcore/nyxcore/app/outbound"
)

// TestNonCanonicalIPv4IsInvalid: every spelling of an address that C
// resolvers and browsers accept but Go's parser does not is refused as an
// invalid host, before any lookup, even when loopback is allowed.
func TestNonCanonicalIPv4IsInvalid(t *testing.T) {
	p, _ := outbound.Parse("loopback,private")
	ctx := context.Background()
	for _, host := range []string{"2852039166", "0xa9fea9fe", "0XA9FEA9FE", "0251.0376.0251.0376", "127.1", "127.0.1", "0177.0.0.1",
		"0x7f.0.0.1", "127.0.0.1.", "017700000001", "1.2.3.0x4", "foo.0x10", "10.0.0.010", "[fe80::1%25eth0]"} {
		err := p.CheckURL(ctx, "http://"+host+":11434/")
		if !errors.Is(err, outbound.ErrInvalidHost) {
			t.Errorf("CheckURL(http://%s) = %v, want an invalid host", host, err)
		}
	}
	for _, host := range []string{"127.0.0.1", "[::1]", "localhost", "gpu-box.lan", "a0x.example", "1password.example"} {
		if err := p.CheckURL(ctx, "http://"+host+":11434/"); err != nil {
			t.Errorf("CheckURL(http://%s) = %v, want allowed", host, err)
		}
	}
}

// TestNonCanonicalIPv4RefusedAtDial: a client that skipped the save-time
// check still cannot reach 127.0.0.1 through "127.1", which the system
// resolver would turn into it.
func TestNonCanonicalIPv4RefusedAtDial(t *testing.T) {
	hits := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	p, _ := outbound.Parse("127.0.0.1:" + port)
	for _, host := range []string{"127.1", "2130706433", "0x7f000001", "0177.0.0.1"} {
		_, err := p.Client().Get("http://" + host + ":" + port + "/")
		if !errors.Is(err, outbound.ErrInvalidHost) {
			t.Errorf("GET http://%s:%s = %v, want an invalid host", host, port, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatalf("the local server was reached %d times", hits.Load())
	}
}

// TestEndpointEntries: an exact host:port allows that port only, not the
// rest of loopback (Redis, PostgreSQL...).
func TestEndpointEntries(t *testing.T) {
	cases := []struct {
		spec, ap string
		ok       bool
	}{
		{"127.0.0.1:11434", "127.0.0.1:11434", true},
		{"127.0.0.1:11434", "127.0.0.1:6379", false},
		{"127.0.0.1:11434", "127.0.0.2:11434", false},
		{"[::1]:8000", "[::1]:8000", true},
		{"[::1]:8000", "[::1]:5432", false},
		{"192.168.1.20:11434,192.168.1.21:11434", "192.168.1.21:11434", true},
		{"192.168.1.20:11434", "192.168.1.20:22", false},
		{"", "93.184.216.34:6379", true},
	}
	for _, c := range cases {
		p, err := outbound.Parse(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		err = p.CheckAddrPort(netip.MustParseAddrPort(c.ap))
		if (err == nil) != c.ok {
			t.Errorf("Parse(%q).CheckAddrPort(%s) = %v, want ok=%v", c.spec, c.ap, err, c.ok)
		}
	}
	for _, bad := range []string{"gpu-box", "host:0", "host:99999", "127.1:11434", "0x7f000001:80", "bad host:80"} {
		if _, err := outbound.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	named, err := outbound.Parse("localhost:11434")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := named.CheckURL(ctx, "http://localhost:11434"); err != nil {
		t.Errorf("a named endpoint was refused: %v", err)
	}
	if err := named.CheckURL(ctx, "http://localhost:6379"); !errors.Is(err, outbound.ErrForbidden) {
		t.Errorf("another port of a named endpoint = %v, want refused", err)
	}
}

// TestEndpointAtDial: an endpoint entry lets exactly that port through the
// client; a second local service on another port stays unreachable.
func TestEndpointAtDial(t *testing.T) {
	allowed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer allowed.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("the other port was reached") }))
	defer other.Close()
	p, err := outbound.Parse(strings.TrimPrefix(allowed.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Client().Get(allowed.URL)
	if err != nil {
		t.Fatalf("GET the allowed endpoint: %v", err)
	}
	res.Body.Close()
	if _, err := p.Client().Get(other.URL); err == nil || !strings.Contains(err.Error(), outbound.ErrForbidden.Error()) {
		t.Fatalf("GET another loopback port = %v, want refused", err)
	}
}

// TestRedirectToLoopbackRefused: an allowed server that redirects to a
// forbidden one does not get the client there, whatever the hop's spelling.
func TestRedirectToLoopbackRefused(t *testing.T) {
	secret := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("the redirect target was reached") }))
	defer secret.Close()
	_, secretPort, _ := net.SplitHostPort(secret.Listener.Addr().String())
	for _, target := range []string{secret.URL + "/", "http://localhost:" + secretPort + "/", "http://127.1:" + secretPort + "/",
		"http://169.254.169.254/latest/meta-data"} {
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		}))
		p, err := outbound.Parse(strings.TrimPrefix(front.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Client().Get(front.URL)
		front.Close()
		if !errors.Is(err, outbound.ErrForbidden) && !errors.Is(err, outbound.ErrInvalidHost) {
			t.Errorf("redirect to %s = %v, want refused", target, err)
		}
	}
}

// TestDNSRebindingRefusedAtDial: a name that resolves to a public address
// when the URL is checked and to loopback when the client dials is refused
// at the dial; the local server never sees the request.
func TestDNSRebindingRefusedAtDial(t *testing.T) {
	hits := atomic.Int32{}
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer local.Close()
	_, port, _ := net.SplitHostPort(local.Listener.Addr().String())
	dns := certstest.StartDNS(t)
	dns.Records().AddDNSARecord("rebind.test.", []string{"93.184.216.34"})
	resolver := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, dns.Addr())
	}}
	p, _ := outbound.Parse("")
	p = p.WithResolver(resolver)
	u := "http://rebind.test:" + port + "/"
	if err := p.CheckURL(context.Background(), u); err != nil {
		t.Fatalf("the public answer was refused at save time: %v", err)
	}
	dns.Records().AddDNSARecord("rebind.test.", []string{"127.0.0.1"})
	_, err := p.Client().Get(u)
	if err == nil || !strings.Contains(err.Error(), outbound.ErrForbidden.Error()) {
		t.Fatalf("GET after the answer changed to loopback = %v, want refused", err)
	}
	if hits.Load() != 0 {
		t.Fatalf("the local server was reached %d times", hits.Load())
	}
}

// TestReservedEndpoints: the operator's own server stays out of reach of
// tenant URLs through any alias, even where loopback is allowed, and other
// loopback ports are unaffected.
func TestReservedEndpoints(t *testing.T) {
	operator := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Error("the reserved server was reached") }))
	defer operator.Close()
	_, port, _ := net.SplitHostPort(operator.Listener.Addr().String())
	base, _ := outbound.Parse("loopback")
	p, err := base.WithReserved("127.0.0.1:" + port)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, u := range []string{operator.URL, "http://localhost:" + port, "http://[::ffff:127.0.0.1]:" + port} {
		if err := p.CheckURL(ctx, u); !errors.Is(err, outbound.ErrForbidden) {
			t.Errorf("CheckURL(%s) = %v, want refused", u, err)
		}
	}
	if _, err := p.Client().Get("http://localhost:" + port + "/"); err == nil {
		t.Error("GET through an alias of the reserved endpoint succeeded")
	}
	if err := p.CheckURL(ctx, "http://127.0.0.1:6000"); err != nil {
		t.Errorf("another loopback port refused: %v", err)
	}
}

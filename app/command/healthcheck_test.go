package command

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nyxcore/nyxcore/app/config"
)

func TestDialAddr(t *testing.T) {
	cases := []struct{ listen, want string }{
		{":8090", "127.0.0.1:8090"},
		{"0.0.0.0:80", "127.0.0.1:80"},
		{"[::]:8443", "[::1]:8443"},
		{"127.0.0.1:8090", "127.0.0.1:8090"},
		{"10.0.0.5:8090", "10.0.0.5:8090"},
		{"nyx.example.com:443", "nyx.example.com:443"},
		{"not an address", "not an address"}, // left for the dial to refuse, with its own error
	}
	for _, c := range cases {
		if got := dialAddr(c.listen); got != c.want {
			t.Errorf("dialAddr(%q) = %q, want %q", c.listen, got, c.want)
		}
	}
}

// TestProbe: only a 200 whose body says ok is healthy; anything else (an
// error status, PocketBase's own health answer, a proxy's HTML page, a
// server that never answers) makes the healthcheck fail.
func TestProbe(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		delay   time.Duration
		mode    string
		wantErr string
	}{
		{name: "healthy", status: 200, body: `{"ok":true,"mode":"embedded"}`, mode: "embedded"},
		{name: "healthy production", status: 200, body: `{"ok":true,"mode":"production","store":"postgres"}`, mode: "production"},
		{name: "not ok", status: 200, body: `{"ok":false}`, wantErr: "not a healthy nyxCore answer"},
		{name: "pocketbase health", status: 200, body: `{"message":"API is healthy.","code":200,"data":{}}`, wantErr: "not a healthy nyxCore answer"},
		{name: "html", status: 200, body: `<html>proxy</html>`, wantErr: "not a healthy nyxCore answer"},
		{name: "store down", status: 503, body: `{"ok":false}`, wantErr: "status 503"},
		{name: "hangs", status: 200, body: `{"ok":true}`, delay: 2 * time.Second, wantErr: "deadline exceeded"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != healthPath {
					http.NotFound(w, r)
					return
				}
				select {
				case <-time.After(c.delay):
				case <-r.Context().Done():
					return
				}
				w.WriteHeader(c.status)
				w.Write([]byte(c.body))
			}))
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			mode, err := probe(ctx, srv.Client(), srv.URL+healthPath)
			if c.wantErr == "" {
				if err != nil || mode != c.mode {
					t.Fatalf("probe = %q, %v; want %q", mode, err, c.mode)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("probe = %q, %v; want an error with %q", mode, err, c.wantErr)
			}
		})
	}
}

// TestLocalProbeURL: without a URL the healthcheck asks this
// configuration's own listener on loopback, HTTPS when there is one.
func TestLocalProbeURL(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"embedded default", nil, "http://127.0.0.1:8090" + healthPath},
		{"all interfaces", []string{"--http", "0.0.0.0:9000"}, "http://127.0.0.1:9000" + healthPath},
		{"acme asks https", []string{"--tls", "acme", "--domain", "nyx.example.com"}, "https://127.0.0.1:443" + healthPath},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _, err := config.Load(append([]string{"--dir", t.TempDir()}, c.args...))
			if err != nil {
				t.Fatal(err)
			}
			got, client, err := localProbe(cfg, cfg.Dir)
			if err != nil || got != c.want || client == nil {
				t.Fatalf("localProbe = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

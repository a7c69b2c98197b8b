package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/tests"
)

func TestWebApp(t *testing.T) {
	app, err := tests.NewTestApp()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	r, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
	}
	dist := fstest.MapFS{
		"index.html":             {Data: []byte("<title>nyxCore</title>")},
		"sw.js":                  {Data: []byte("self.x=1")},
		"manifest.webmanifest":   {Data: []byte(`{"name":"nyxCore"}`)},
		"assets/index-AbC123.js": {Data: []byte("console.log(1)")},
		"assets/inter-Xy.woff2":  {Data: []byte("wOF2")},
	}
	r.GET("/{path...}", webAppFS(dist))
	mux, err := r.BuildMux()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cases := []struct {
		path, status, cache, ctype, body string
	}{
		{"/", "200", "no-cache", "text/html", "<title>nyxCore</title>"},
		{"/t/acme/members", "200", "no-cache", "text/html", "<title>nyxCore</title>"},
		{"/sw.js", "200", "no-cache", "text/javascript", "self.x=1"},
		{"/manifest.webmanifest", "200", "no-cache", "application/manifest+json", `"nyxCore"`},
		{"/assets/index-AbC123.js", "200", "public, max-age=31536000, immutable", "text/javascript", "console.log"},
		{"/assets/inter-Xy.woff2", "200", "public, max-age=31536000, immutable", "font/woff2", "wOF2"},
		// A stale page asking for an old chunk gets a 404, never index.html cached for a year.
		{"/assets/index-Old999.js", "404", "no-cache", "application/json", `"not_found"`},
		{"/assets/", "404", "no-cache", "application/json", `"not_found"`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			res, err := http.Get(srv.URL + c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if got := res.Status[:3]; got != c.status {
				t.Errorf("status = %s, want %s", got, c.status)
			}
			if got := res.Header.Get("Cache-Control"); got != c.cache {
				t.Errorf("Cache-Control = %q, want %q", got, c.cache)
			}
			if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, c.ctype) {
				t.Errorf("Content-Type = %q, want %s", got, c.ctype)
			}
			if !strings.Contains(string(body), c.body) {
				t.Errorf("body = %q, want it to contain %q", body, c.body)
			}
		})
	}
}

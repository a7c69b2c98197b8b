package server

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/embed"
)

// addMimeTypes registers types that Go's table and a distroless image's
// (absent) /etc/mime.types do not know; browsers want the manifest's type
// to install the app. It runs at the first web-app request, not in init:
// the first AddExtensionType loads the system's whole mime.types (about
// 0.7 MB and 6 ms), which a server that is never browsed does not need.
var addMimeTypes = sync.OnceFunc(func() {
	_ = mime.AddExtensionType(".webmanifest", "application/manifest+json")
	_ = mime.AddExtensionType(".woff2", "font/woff2")
})

// webApp serves the embedded web app: hashed assets cached for a year,
// everything else (index.html, sw.js, the manifest) revalidated every time,
// and unknown paths falling back to index.html so deep links work. A missing
// asset is a 404, never index.html: a stale page asking for an old chunk
// must fail visibly, and HTML must never be cached as an immutable asset.
func webApp() func(*core.RequestEvent) error {
	return webAppFS(embed.Dist())
}

func webAppFS(dist fs.FS) func(*core.RequestEvent) error {
	static := apis.Static(dist, true)
	return func(e *core.RequestEvent) error {
		addMimeTypes()
		h := e.Response.Header()
		p := e.Request.PathValue(apis.StaticWildcardParam)
		if strings.HasPrefix(p, "assets/") {
			if _, err := fs.Stat(dist, p); err != nil || path.Ext(p) == "" {
				h.Set("Cache-Control", "no-cache")
				return e.JSON(http.StatusNotFound, errNotFound)
			}
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		if err := static(e); err != nil {
			return e.JSON(http.StatusNotFound, errNotFound)
		}
		return nil
	}
}

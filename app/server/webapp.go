package server

import (
	"net/http"
	"path"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/nyxcore/nyxcore/embed"
)

// webApp serves the embedded web app: hashed assets cached for a year,
// index.html revalidated every time, and unknown paths falling back to
// index.html so deep links work.
func webApp() func(*core.RequestEvent) error {
	static := apis.Static(embed.Dist(), true)
	return func(e *core.RequestEvent) error {
		h := e.Response.Header()
		p := e.Request.PathValue(apis.StaticWildcardParam)
		if strings.HasPrefix(p, "assets/") && path.Ext(p) != "" {
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

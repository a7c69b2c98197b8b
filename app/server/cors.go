package server

import (
	"net/http"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// cors replaces PocketBase's default CORS middleware, which answers every
// origin with Access-Control-Allow-Origin: *, on every route (nyx's and
// PocketBase's own /api/). The web app is same-origin and needs no CORS,
// so by default there is none; operators list exact origins in
// cors.origins (NYX_CORS_ORIGINS) for other sites' pages. Credentials
// are never allowed: the API authenticates with the Authorization header.
func (a *api) cors(r *router.Router[*core.RequestEvent]) {
	r.Unbind(apis.DefaultCorsMiddlewareId)
	origins := a.Config.CORS.List()
	if len(origins) == 0 {
		return
	}
	r.Bind(apis.CORS(apis.CORSConfig{
		AllowOriginFunc: func(origin string) (bool, error) {
			return slices.Contains(origins, strings.ToLower(origin)), nil
		},
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodPost, http.MethodDelete},
		AllowHeaders:  []string{"Authorization", "Content-Type", "Last-Event-ID", "X-Nyx-Tenant"},
		ExposeHeaders: []string{"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"},
		MaxAge:        600,
	}))
}

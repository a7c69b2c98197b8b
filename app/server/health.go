package server

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// health answers GET /api/nyx/health: the mode and what backs the planes.
func (a *api) health(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, map[string]any{
		"ok":    true,
		"mode":  a.Config.Mode(),
		"store": a.Store.Driver(),
		"redis": a.KV.Kind(),
	})
}

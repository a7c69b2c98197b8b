package server

import (
	"context"
	"net/http"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// testProvider answers POST /api/nyx/tenants/{tenant}/providers/{id}/test
// (admin): it calls the provider and reports {"ok":true} or the typed error.
func (a *api) testProvider(e *core.RequestEvent) error {
	p, err := a.provider(e, e.Request.PathValue("id"))
	if err != nil {
		return a.fail(e, err)
	}
	live, err := a.Registry.Open(p)
	if err == nil {
		ctx, cancel := context.WithTimeout(e.Request.Context(), 15*time.Second)
		defer cancel()
		err = live.Health(ctx)
	}
	if err != nil {
		ae := llmError(err)
		if ae == nil {
			return a.fail(e, err)
		}
		return e.JSON(http.StatusOK, map[string]any{"ok": false, "error": ae})
	}
	return e.JSON(http.StatusOK, map[string]any{"ok": true})
}
